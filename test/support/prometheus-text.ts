const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a scrape in Prometheus's text format (comments skipped). */
export function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .map((line) => SAMPLE.exec(line))
    .filter((match) => match !== null)
    .map(([, name, labels = '', value]) => ({
      name,
      labels: Object.fromEntries([...labels.matchAll(LABEL)].map(([, key, v]) => [key, v])),
      value: Number(value),
    }));
}

/**
 * The sum of the series named `name` whose labels include `labels`; 0 when there is none
 * (a labelled counter appears only once it has been incremented).
 */
export function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  return parseSamples(text)
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Every label value in a scrape. */
export function labelValues(text: string): Set<string> {
  return new Set(parseSamples(text).flatMap((sample) => Object.values(sample.labels)));
}
