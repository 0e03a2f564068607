import { formatTime } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { chartRange, DEFAULT_BOX, type NightSeries, nightChart, sharedRange } from './night-chart.ts';

/** Every other hour is labelled, so labels never overlap at the chart's width. */
const LABEL_EVERY = 2;

/**
 * A night as an SVG step chart: the level over the night (local times of the site), sunset and
 * sunrise marked; `before`, when given, drawn dashed under it (a change's before and after).
 */
export function NightChartView({
  series,
  before,
  label,
}: {
  series: NightSeries;
  before?: NightSeries | undefined;
  label: string;
}) {
  const range = before === undefined ? chartRange(series) : sharedRange(series, before);
  const chart = nightChart(series, DEFAULT_BOX, range);
  const previous = before === undefined ? undefined : nightChart(before, DEFAULT_BOX, range);
  const { box } = chart;
  const tz = series.timezone;
  const bottom = box.height - box.bottom;
  const summary = [
    label,
    ...series.transitions.map((change) =>
      t('sched.chart.change', { time: formatTime(change.at, tz), level: change.level }),
    ),
  ].join('; ');
  return (
    <figure class="night-chart">
      <svg viewBox={`0 0 ${box.width} ${box.height}`} role="img" aria-label={summary}>
        {chart.levels.map(({ y, level }) => (
          <g key={level} class="chart-grid">
            <line x1={box.left} x2={box.width - box.right} y1={y} y2={y} />
            <text x={box.left - 6} y={y + 4} text-anchor="end">
              {`${level} %`}
            </text>
          </g>
        ))}
        {chart.hours.map(({ x, at }, i) => (
          <g key={at} class="chart-hour">
            <line x1={x} x2={x} y1={bottom} y2={bottom + 4} />
            {i % LABEL_EVERY === 0 && (
              <text x={x} y={bottom + 18} text-anchor="middle">
                {formatTime(at, tz)}
              </text>
            )}
          </g>
        ))}
        {previous !== undefined && <path class="chart-before" d={previous.line} />}
        <path class="chart-area" d={chart.area} />
        <path class="chart-line" d={chart.line} />
        {chart.sunset !== null && (
          <SunMark
            x={chart.sunset}
            top={box.top}
            bottom={bottom}
            text={t('sched.chart.sunset', { time: formatTime(series.sunset, tz) })}
          />
        )}
        {chart.sunrise !== null && (
          <SunMark
            x={chart.sunrise}
            top={box.top}
            bottom={bottom}
            text={t('sched.chart.sunrise', { time: formatTime(series.sunrise, tz) })}
            end
          />
        )}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

function SunMark({
  x,
  top,
  bottom,
  text,
  end,
}: {
  x: number;
  top: number;
  bottom: number;
  text: string;
  end?: boolean;
}) {
  return (
    <g class="chart-sun">
      <line x1={x} x2={x} y1={top} y2={bottom} />
      <text x={end ? x - 4 : x + 4} y={top + 10} text-anchor={end ? 'end' : 'start'}>
        {text}
      </text>
    </g>
  );
}
