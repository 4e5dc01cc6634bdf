/** The four HTTP APIs hellohub speaks; an API key may be limited to some of them. */
export const SURFACES = ['hellotext', 'hellodialog', 'hellocustomer', 'esputnik'] as const;

export type Surface = (typeof SURFACES)[number];

export function isSurface(value: string): value is Surface {
  return (SURFACES as readonly string[]).includes(value);
}
