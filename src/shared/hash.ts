/** FNV-1a (32-bit): a stable, well-spread number for a string (phrasing choice, demo data seeds). Not for secrets. */
export function fnv1a(text: string): number {
  let h = 2_166_136_261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16_777_619);
  return h >>> 0;
}
