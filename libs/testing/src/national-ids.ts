/**
 * Valid fødselsnumre for tests: born on `date` (YYYY-MM-DD, 2000–2039), individual numbers from 500 up, check digits
 * computed with the mod-11 weights. Numbers a real person may hold: use them only against a test database.
 */
export const fodselsnummerFor = (date: string, nth = 0, options: { synthetic?: boolean } = {}): string => {
  const [year = '', month = '', day = ''] = date.split('-');
  // Synthetic numbers (month + 80) are the test population register's: no real person holds one.
  const shownMonth = options.synthetic ? String(Number(month) + 80) : month;
  const base = `${day}${shownMonth}${year.slice(2)}`;
  let found = 0;
  for (let individual = 500; individual <= 749; individual++) {
    const digits = `${base}${individual}`.split('').map(Number);
    const k1 = check(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    if (k1 === undefined) continue;
    const k2 = check([...digits, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (k2 === undefined) continue;
    if (found++ === nth) return `${base}${individual}${k1}${k2}`;
  }
  throw new Error(`no valid number left for ${date}`);
};

const check = (digits: number[], weights: number[]): number | undefined => {
  const sum = weights.reduce((total, weight, i) => total + weight * (digits[i] ?? 0), 0);
  const digit = (11 - (sum % 11)) % 11;
  return digit === 10 ? undefined : digit;
};

/**
 * Valid D-numbers (day + 40) for tests: born on `date` (YYYY-MM-DD, 2000–2039), individual numbers from 200 up (the
 * series since 2021), check digits by mod 11. For the replacement of a D-number by a fødselsnummer.
 */
export const dNumberFor = (date: string, nth = 0): string => {
  const [year = '', month = '', day = ''] = date.split('-');
  const base = `${Number(day) + 40}${month}${year.slice(2)}`;
  let found = 0;
  for (let individual = 200; individual <= 999; individual++) {
    const digits = `${base}${individual}`.split('').map(Number);
    const k1 = check(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    if (k1 === undefined) continue;
    const k2 = check([...digits, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (k2 === undefined) continue;
    if (found++ === nth) return `${base}${individual}${k1}${k2}`;
  }
  throw new Error(`no valid D-number left for ${date}`);
};
