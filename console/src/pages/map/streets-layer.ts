import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from 'maplibre-gl';
import { SEGMENT_FLOATS, type StreetSegments } from './street-segments.ts';

/** The streets' grey. */
export const STREET_COLOUR = '#9aa5b1';

/** STREET_COLOUR as the shader takes it: opaque, so premultiplied as the map blends. */
const COLOUR = [1, 3, 5].map((at) => Number.parseInt(STREET_COLOUR.slice(at, at + 2), 16) / 255).concat(1);

/** Width in CSS pixels: 1 at zoom 12 and below, 6 at 18 and above, linear between. */
export function streetWidth(zoom: number): number {
  return 1 + (5 * (Math.min(18, Math.max(12, zoom)) - 12)) / 6;
}

/**
 * Each segment is an instance: its two ends and keys (zone, street) per instance, the six corners
 * of its rectangle per vertex (0 at its start or 1 at its end, and the side). The rectangle is
 * made in pixels around the projected segment, half a width (plus a pixel to fade) on each side
 * and beyond each end, so the segments of a line overlap at its bends.
 */
const VERTEX = `#version 300 es
uniform mat4 u_matrix;
uniform vec2 u_half_viewport;
uniform float u_reach;
uniform vec2 u_only;
in vec2 a_from;
in vec2 a_to;
in vec2 a_keys;
in vec2 a_corner;
out float v_across;
void main() {
  bool kept = (u_only.x < 0.0 || a_keys.x == u_only.x) && (u_only.y < 0.0 || a_keys.y == u_only.y);
  vec4 from = u_matrix * vec4(a_from, 0.0, 1.0);
  vec4 to = u_matrix * vec4(a_to, 0.0, 1.0);
  vec2 along = (to.xy / to.w - from.xy / from.w) * u_half_viewport;
  float size = length(along);
  vec2 direction = size > 0.0 ? along / size : vec2(1.0, 0.0);
  vec2 offset = (vec2(-direction.y, direction.x) * a_corner.y + direction * (a_corner.x * 2.0 - 1.0)) * u_reach;
  vec4 here = mix(from, to, a_corner.x);
  v_across = a_corner.y * u_reach;
  gl_Position = kept ? vec4(here.xy + offset / u_half_viewport * here.w, here.zw) : vec4(0.0, 0.0, 2.0, 1.0);
}`;

const FRAGMENT = `#version 300 es
precision highp float;
uniform vec4 u_colour;
uniform float u_reach;
in float v_across;
out vec4 colour;
void main() {
  colour = u_colour * clamp(u_reach - abs(v_across), 0.0, 1.0);
}`;

const CORNERS = new Float32Array([0, -1, 1, -1, 0, 1, 0, 1, 1, -1, 1, 1]);

interface Drawing {
  readonly gl: WebGL2RenderingContext;
  readonly program: WebGLProgram;
  readonly vao: WebGLVertexArrayObject;
  readonly instances: WebGLBuffer;
  readonly corners: WebGLBuffer;
  readonly uniforms: Record<
    'matrix' | 'halfViewport' | 'reach' | 'only' | 'colour',
    WebGLUniformLocation | null
  >;
}

function compile(gl: WebGL2RenderingContext): Drawing {
  const program = gl.createProgram();
  for (const [type, source] of [
    [gl.VERTEX_SHADER, VERTEX],
    [gl.FRAGMENT_SHADER, FRAGMENT],
  ] as const) {
    const shader = gl.createShader(type);
    if (shader === null) throw new Error('WebGL: no shader');
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    gl.attachShader(program, shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS))
    throw new Error(`WebGL: the streets' program: ${gl.getProgramInfoLog(program)}`);
  const vao = gl.createVertexArray();
  const instances = gl.createBuffer();
  const corners = gl.createBuffer();
  gl.bindVertexArray(vao);
  gl.bindBuffer(gl.ARRAY_BUFFER, corners);
  gl.bufferData(gl.ARRAY_BUFFER, CORNERS, gl.STATIC_DRAW);
  const corner = gl.getAttribLocation(program, 'a_corner');
  gl.enableVertexAttribArray(corner);
  gl.vertexAttribPointer(corner, 2, gl.FLOAT, false, 0, 0);
  gl.bindBuffer(gl.ARRAY_BUFFER, instances);
  const stride = SEGMENT_FLOATS * 4;
  for (const [name, offset] of [
    ['a_from', 0],
    ['a_to', 8],
    ['a_keys', 16],
  ] as const) {
    const location = gl.getAttribLocation(program, name);
    gl.enableVertexAttribArray(location);
    gl.vertexAttribPointer(location, 2, gl.FLOAT, false, stride, offset);
    gl.vertexAttribDivisor(location, 1);
  }
  gl.bindVertexArray(null);
  const uniform = (name: string) => gl.getUniformLocation(program, name);
  return {
    gl,
    program,
    vao,
    instances,
    corners,
    uniforms: {
      matrix: uniform('u_matrix'),
      halfViewport: uniform('u_half_viewport'),
      reach: uniform('u_reach'),
      only: uniform('u_only'),
      colour: uniform('u_colour'),
    },
  };
}

/** The streets layer of the map, and how to give it its segments and filter them. */
export interface StreetsLayer extends CustomLayerInterface {
  setSegments(segments: StreetSegments): void;
  /** Only the streets of this zone and street (indexes; undefined: every one). */
  filter(zone: number | undefined, street: number | undefined): void;
}

/**
 * The streets the inventory implies, drawn by the map's GPU straight from the segments the feed's
 * worker made (street-segments.ts): no GeoJSON to write, parse, cut into tiles and hand back from
 * MapLibre's worker, which for a large city's thousands of streets was most of the page's work
 * after the live state came, and a program of MapLibre's (a large one) to compile in software
 * rendering. Lines are not clicked: nothing to query.
 */
export function streetsLayer(id: string): StreetsLayer {
  let map: MapLibreMap | undefined;
  let drawing: Drawing | undefined;
  let shown: StreetSegments | undefined;
  let count = 0;
  let only = [-1, -1];
  const upload = () => {
    if (drawing === undefined || shown === undefined) return;
    const { gl } = drawing;
    gl.bindBuffer(gl.ARRAY_BUFFER, drawing.instances);
    gl.bufferData(gl.ARRAY_BUFFER, shown.segments, gl.STATIC_DRAW);
    count = shown.segments.length / SEGMENT_FLOATS;
  };
  return {
    id,
    type: 'custom',
    renderingMode: '2d',
    onAdd(added, gl) {
      map = added;
      drawing = compile(gl);
      upload();
    },
    onRemove() {
      if (drawing === undefined) return;
      const { gl } = drawing;
      gl.deleteBuffer(drawing.instances);
      gl.deleteBuffer(drawing.corners);
      gl.deleteVertexArray(drawing.vao);
      gl.deleteProgram(drawing.program);
      drawing = undefined;
    },
    setSegments(segments) {
      shown = segments;
      upload();
      map?.triggerRepaint();
    },
    filter(zone, street) {
      only = [zone ?? -1, street ?? -1];
      map?.triggerRepaint();
    },
    render(gl, options: CustomRenderMethodInput) {
      if (drawing === undefined || shown === undefined || count === 0 || map === undefined) return;
      // The map's matrix moved to the segments' origin in 64-bit floats: 32-bit ones from the
      // world's corner would shake the streets by metres at street level.
      const m = options.defaultProjectionData.mainMatrix;
      const matrix = Float32Array.from(m);
      for (let row = 0; row < 4; row++)
        matrix[12 + row] =
          (m[row] ?? 0) * shown.originX + (m[4 + row] ?? 0) * shown.originY + (m[12 + row] ?? 0);
      const { uniforms } = drawing;
      gl.useProgram(drawing.program);
      gl.uniformMatrix4fv(uniforms.matrix, false, matrix);
      gl.uniform2f(uniforms.halfViewport, gl.drawingBufferWidth / 2, gl.drawingBufferHeight / 2);
      gl.uniform1f(uniforms.reach, (streetWidth(map.getZoom()) * map.getPixelRatio()) / 2 + 0.5);
      gl.uniform2f(uniforms.only, only[0] ?? -1, only[1] ?? -1);
      gl.uniform4fv(uniforms.colour, COLOUR);
      gl.bindVertexArray(drawing.vao);
      gl.drawArraysInstanced(gl.TRIANGLES, 0, CORNERS.length / 2, count);
      gl.bindVertexArray(null);
    },
  };
}
