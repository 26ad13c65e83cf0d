/**
 * Compares the holder names of two readings of the same passport. The reader may order or
 * punctuate names differently ("ERIKSSON, ANNA MARIA" / "Anna Maria Eriksson"), and
 * transliterate letters (Ø as O): compare the sets of name parts, without accents or case.
 */
export function sameHolderName(a: string, b: string): boolean {
  const parts = (name: string) =>
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(
        /[ØøÆæÅåß]/g,
        (c) => ({ Ø: 'O', ø: 'o', Æ: 'AE', æ: 'ae', Å: 'A', å: 'a', ß: 'ss' })[c]!,
      )
      .toUpperCase()
      .split(/[^A-Z0-9]+/)
      .filter(Boolean)
      .sort()
      .join(' ');
  const left = parts(a);
  return left.length > 0 && left === parts(b);
}
