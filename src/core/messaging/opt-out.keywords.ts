/** The opt-out and opt-in keywords (OPT_OUT_KEYWORDS, OPT_IN_KEYWORDS) and how a message is matched to them. */

export type Keyword = 'opt_out' | 'opt_in';

/** A keyword matches the whole message, in any case, accents and surrounding punctuation aside. */
export function keywordKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .toUpperCase();
}

export function keywordOf(body: string, config: { readonly OPT_OUT_KEYWORDS: readonly string[]; readonly OPT_IN_KEYWORDS: readonly string[] }): Keyword | undefined {
  const key = keywordKey(body);
  if (key === '') return undefined;
  if (config.OPT_OUT_KEYWORDS.some((keyword) => keywordKey(keyword) === key)) return 'opt_out';
  if (config.OPT_IN_KEYWORDS.some((keyword) => keywordKey(keyword) === key)) return 'opt_in';
  return undefined;
}

