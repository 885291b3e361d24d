// Bar charts drawn as SVG: small, accessible (a title, and each bar's value
// in text for screen readers), no chart library.

const W = 560;
const H = 200;
const PAD = { l: 36, r: 8, t: 8, b: 40 };
const colours = ["#1f3a5f", "#4a8f6a", "#a15c00"];

export function BarChart({ title, bars, compact }: { title: string; bars: Array<{ label: string; value: number }>; compact?: boolean }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const bw = (W - PAD.l - PAD.r) / Math.max(1, bars.length);
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / max);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <title>{title}</title>
        <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} stroke="#555" />
        <text x={PAD.l - 4} y={PAD.t + 10} text-anchor="end" font-size="11" fill="#333">{max}</text>
        <text x={PAD.l - 4} y={H - PAD.b} text-anchor="end" font-size="11" fill="#333">0</text>
        {bars.map((b, i) => (
          <g key={b.label}>
            <rect x={PAD.l + i * bw + 2} y={y(b.value)} width={Math.max(1, bw - 4)} height={H - PAD.b - y(b.value)} fill={colours[0]}>
              <title>{`${b.label}: ${b.value}`}</title>
            </rect>
            {(!compact || i % 5 === 0) && (
              <text x={PAD.l + i * bw + bw / 2} y={H - PAD.b + 14} text-anchor="middle" font-size="11" fill="#333">{b.label}</text>
            )}
          </g>
        ))}
      </svg>
      <figcaption class="visually-hidden">{bars.map((b) => `${b.label}: ${b.value}`).join("; ")}</figcaption>
    </figure>
  );
}

export function GroupedBars({ title, series, groups, max, format }: {
  title: string;
  series: string[];
  groups: Array<{ label: string; values: number[] }>;
  max: number;
  format: (v: number) => string;
}) {
  const gw = (W - PAD.l - PAD.r) / Math.max(1, groups.length);
  const bw = (gw - 8) / series.length;
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / max);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <title>{title}</title>
        <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} stroke="#555" />
        <text x={PAD.l - 4} y={PAD.t + 10} text-anchor="end" font-size="11" fill="#333">{format(max)}</text>
        {groups.map((g, i) => (
          <g key={g.label}>
            {g.values.map((v, j) => (
              <rect key={j} x={PAD.l + i * gw + 4 + j * bw} y={y(v)} width={Math.max(1, bw - 2)} height={H - PAD.b - y(v)} fill={colours[j % colours.length]}>
                <title>{`${g.label}, ${series[j]}: ${format(v)}`}</title>
              </rect>
            ))}
            <text x={PAD.l + i * gw + gw / 2} y={H - PAD.b + 14} text-anchor="middle" font-size="11" fill="#333">{g.label}</text>
          </g>
        ))}
      </svg>
      <figcaption>
        <ul class="chart-legend">
          {series.map((s, j) => <li key={s}><span class="swatch" style={{ background: colours[j % colours.length] }} aria-hidden="true" /> {s}</li>)}
        </ul>
        <span class="visually-hidden">{groups.map((g) => `${g.label}: ${g.values.map((v, j) => `${series[j]} ${format(v)}`).join(", ")}`).join("; ")}</span>
      </figcaption>
    </figure>
  );
}
