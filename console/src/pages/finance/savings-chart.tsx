import { formatKwh, formatNumber } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { type BarInput, barChart, SEGMENTS, type Segment } from './bars.ts';

const LEGEND: Record<Segment, 'reports.legend.metered' | 'reports.legend.controls' | 'reports.legend.led'> = {
  metered: 'reports.legend.metered',
  controls: 'reports.legend.controls',
  led: 'reports.legend.led',
};

/** The longest group name shown beside a bar; the table below has the full one. */
const MAX_LABEL = 26;
const short = (text: string): string =>
  text.length <= MAX_LABEL ? text : `${text.slice(0, MAX_LABEL - 1)}…`;

/**
 * One horizontal bar per group: metered energy, then what dimming saved, then what the LED
 * conversion saved; the whole bar is the pre-LED baseline. Hand-written SVG (see bars.ts).
 */
export function SavingsChart(props: {
  readonly title: string;
  readonly groups: readonly BarInput[];
  readonly label?: (key: string) => string;
}) {
  const chart = barChart(props.groups);
  const label = props.label ?? ((key: string) => key);
  return (
    <figure class="savings-chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${chart.width} ${chart.height}`} role="img" aria-label={props.title}>
        {chart.ticks.map((tick) => (
          <g key={tick.kwh} class="tick">
            <line x1={tick.x} x2={tick.x} y1={0} y2={chart.height - 20} />
            <text x={tick.x} y={chart.height - 6} text-anchor="middle">
              {formatNumber(tick.kwh)}
            </text>
          </g>
        ))}
        {chart.rows.map((row) => (
          <g key={row.key}>
            <text x={chart.plotLeft - 8} y={row.y + chart.rowHeight / 2 + 4} text-anchor="end">
              {short(label(row.key))}
            </text>
            {row.segments.map((part) => (
              <rect
                key={part.segment}
                class={`bar-${part.segment}`}
                x={part.x}
                y={row.y + 4}
                width={part.width}
                height={chart.rowHeight - 8}
              >
                <title>{`${label(row.key)} — ${t(LEGEND[part.segment])}, ${formatKwh(part.kwh)}`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
      <ul class="chart-legend">
        {SEGMENTS.map((segment) => (
          <li key={segment}>
            <span class={`swatch bar-${segment}`} aria-hidden="true" />
            {t(LEGEND[segment])}
          </li>
        ))}
      </ul>
    </figure>
  );
}
