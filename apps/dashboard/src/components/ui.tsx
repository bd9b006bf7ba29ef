import type { ComponentChildren } from 'preact';
import type { Freshness } from '../api';
import { instant, number } from '../format';

export const FreshnessNote = ({ freshness }: { freshness?: Freshness | null }) =>
  freshness ? (
    <p class="freshness" data-position={freshness.position}>
      Oppdatert med hendelser til {instant(freshness.lastEventAt)} (posisjon {freshness.position})
    </p>
  ) : null;

export const Loading = ({ error }: { error?: string | null }) =>
  error ? (
    <p role="alert" class="error">
      {error}
    </p>
  ) : (
    <p aria-live="polite">Henter tall …</p>
  );

export const Figure = ({ label, value, note, id }: { label: string; value: string; note?: string; id?: string }) => (
  <div class="figure" data-figure={id}>
    <dt>{label}</dt>
    <dd>
      <span class="value">{value}</span>
      {note ? <span class="note">{note}</span> : null}
    </dd>
  </div>
);

export const Section = ({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) => (
  <section aria-labelledby={id ? `${id}-h` : undefined} class="panel">
    <h2 id={id ? `${id}-h` : undefined}>{title}</h2>
    {children}
  </section>
);

export interface Column<Row> {
  label: string;
  value: (row: Row) => ComponentChildren;
  numeric?: boolean;
}

export const Table = <Row,>({
  caption,
  columns,
  rows,
  empty = 'Ingen rader.',
  rowKey,
}: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  empty?: string;
  rowKey?: (row: Row, index: number) => string;
}) => (
  // A region that scrolls takes the keyboard's focus, so its rows can be scrolled without a mouse.
  <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" class={column.numeric ? 'num' : undefined}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length}>{empty}</td>
          </tr>
        ) : (
          rows.map((row, index) => (
            <tr key={rowKey ? rowKey(row, index) : index}>
              {columns.map((column) => (
                <td class={column.numeric ? 'num' : undefined}>{column.value(row)}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  </div>
);

export interface Bar {
  label: string;
  value: number | null;
  /** A line to compare against (e.g. a goal or a reference share), drawn as a mark. */
  reference?: number | null;
}

/**
 * Horizontal SVG bars with a text alternative: the figure is named for screen readers, every value is written
 * beside its bar, and the same figures stand in a table below it.
 */
export const Bars = ({
  title,
  bars,
  unit = '',
  format = number,
  referenceLabel,
}: {
  title: string;
  bars: Bar[];
  unit?: string;
  format?: (value: number | null) => string;
  referenceLabel?: string;
}) => {
  const max = Math.max(1, ...bars.map((bar) => Math.max(bar.value ?? 0, bar.reference ?? 0)));
  const row = 26;
  const labelWidth = 170;
  const width = 560;
  const scale = (value: number) => ((width - labelWidth - 90) * value) / max;
  const summary = bars.map((bar) => `${bar.label}: ${format(bar.value)}${unit}`).join('; ');
  return (
    <figure class="bars">
      <svg
        role="img"
        aria-label={`${title}. ${summary}`}
        viewBox={`0 0 ${width} ${bars.length * row + 8}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((bar, index) => {
          const y = index * row + 4;
          return (
            <g key={bar.label}>
              <text x={labelWidth - 8} y={y + 15} text-anchor="end" class="bar-label">
                {bar.label}
              </text>
              <rect x={labelWidth} y={y} width={scale(bar.value ?? 0)} height={row - 8} class="bar" />
              {bar.reference != null ? (
                <line
                  x1={labelWidth + scale(bar.reference)}
                  x2={labelWidth + scale(bar.reference)}
                  y1={y - 2}
                  y2={y + row - 6}
                  class="bar-reference"
                />
              ) : null}
              <text x={labelWidth + scale(bar.value ?? 0) + 6} y={y + 15} class="bar-value">
                {format(bar.value)}
                {unit}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {title}
        {referenceLabel ? <span class="legend"> Strek: {referenceLabel}.</span> : null}
      </figcaption>
    </figure>
  );
};
