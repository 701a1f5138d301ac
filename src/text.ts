/**
 * Names and customer fields: printable text of at most MAX_TEXT characters (docs/http-api.md,
 * "Names"). They are printed into operators' terminals and tables, so what may be in them is
 * decided by Unicode class rather than by a list of known-bad characters: an invisible character
 * nobody thought of is refused too. Plain rules without a schema library, so that the CLI's
 * flags, the wizard and the gateway apply the same ones.
 */
export const MAX_TEXT = 200

/**
 * Combining marks in a row, at most: Hebrew with points and a cantillation mark needs 4, a
 * Vietnamese or Tibetan letter 2 or 3; "Zalgo" text stacks dozens, and 199 of them on one letter
 * make a name that spills over the lines above and below it.
 */
export const MAX_MARKS = 4

/**
 * What tables show as an escape (src/cli/render.ts): control characters, and the invisible ones
 * that rewrite how a line reads (bidi overrides and isolates such as U+202E, zero-width spaces,
 * the BOM).
 */
export const UNPRINTABLE = /[\p{Cc}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u

/** The largest item, reservation or payment number and price: 15 digits, as the gateway's paths take. */
export const MAX_NUMBER = 999_999_999_999_999

/**
 * Characters of a visible class that show as nothing: the Hangul fillers (U+115F, U+1160, U+3164,
 * U+FFA0; also default-ignorable), the blank braille pattern U+2800, the musical null notehead
 * U+1D159, and the object replacement character U+FFFC (a stand-in for something not there).
 */
const BLANK = /[\u115f\u1160\u3164\uffa0\u2800\u{1d159}\ufffc]/u

/** Variation selectors: standardized (FE00–FE0F, with the emoji ones), Mongolian, ideographic (E0100–E01EF). */
const SELECTOR = /[\ufe00-\ufe0f\u180b-\u180d\u180f\u{e0100}-\u{e01ef}]/u

/** Scripts written with the zero-width joiner and non-joiner: Arabic-like joining, and the Brahmic half forms after a virama (ශ්‍රී). */
const JOINING_SCRIPTS = String.raw`\p{scx=Arab}\p{scx=Syrc}\p{scx=Nkoo}\p{scx=Mong}\p{scx=Deva}\p{scx=Beng}\p{scx=Guru}\p{scx=Gujr}\p{scx=Orya}\p{scx=Taml}\p{scx=Telu}\p{scx=Knda}\p{scx=Mlym}\p{scx=Sinh}`

/**
 * The invisible characters that belong where they are, each kept only in its place: a joiner
 * inside an emoji sequence (👨‍👩‍👧, 🏳️‍🌈, 👩🏽‍💻), a joiner or non-joiner after a letter of a script
 * that writes with them, one variation selector right after a character it selects a form of (❤️,
 * an ideographic variant of a Japanese name), and the tags of the three flags that are emoji
 * (England, Scotland, Wales). Any other tag character is hidden text.
 */
const IN_PLACE = new RegExp(
  [
    String.raw`(?<=\p{Extended_Pictographic}[\ufe0f\p{Emoji_Modifier}]?)\u200d(?=\p{Extended_Pictographic})`,
    String.raw`(?<=[${JOINING_SCRIPTS}])[\u200c\u200d]`,
    // a selector only where it selects something: emoji or text style after an emoji, an
    // ideographic variant after an ideograph, a Mongolian form after a Mongolian letter, the few
    // standardized variants of math symbols, ideographs and Myanmar; after a Latin letter it would
    // carry a hidden byte ("C\ufe01a\ufe02…" spelt a secret in a review)
    String.raw`(?<=\p{Emoji})[\ufe0e\ufe0f]`,
    String.raw`(?<=\p{Ideographic})[\u{e0100}-\u{e01ef}]`,
    String.raw`(?<=\p{scx=Mong})[\u180b-\u180d\u180f]`,
    String.raw`(?<=[\p{Ideographic}\p{Sm}\p{scx=Mymr}])[\ufe00-\ufe0d]`,
    String.raw`(?<=\u{1f3f4})\u{e0067}\u{e0062}(?:\u{e0065}\u{e006e}\u{e0067}|\u{e0073}\u{e0063}\u{e0074}|\u{e0077}\u{e006c}\u{e0073})\u{e007f}`,
  ].join('|'),
  'gu',
)

/** What each refused character is, in the order they are asked: the first that fits names it. */
const REFUSED: [RegExp, string][] = [
  [/\p{Cc}/u, 'a control character'],
  [/[\p{Zl}\p{Zp}]/u, 'a line or paragraph separator'],
  [/\p{Cs}/u, 'half of a character (a lone surrogate)'],
  [/\p{Co}/u, 'a private-use character'],
  [/\p{Cn}/u, 'not an assigned character'],
  // what a decoder leaves for bytes that were not UTF-8 (node's argv, from a terminal set to Latin-1)
  [/\ufffd/u, 'the replacement character, left where the text was not valid UTF-8 (is the terminal set to UTF-8?)'],
  [BLANK, 'a filler that shows as blank'],
  [SELECTOR, 'a variation selector that selects nothing there (hidden text)'],
  [/[\u{e0000}-\u{e007f}]/u, 'a tag character (text hidden from view)'],
  // format characters (Cf: bidi controls, zero-width spaces, tags, the BOM…) and the rest that
  // Unicode says to show as nothing (the combining grapheme joiner, Khmer's inherent vowels)
  [/[\p{Cf}\p{Default_Ignorable_Code_Point}]/u, 'an invisible formatting character'],
]

const MARK = /\p{M}/u

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

/** What is wrong with a name or customer field, or undefined when it is fine. The CLI, the wizard and the gateway all ask this. */
export function textProblem(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty'
  if (value.length > MAX_TEXT) return `must be at most ${MAX_TEXT} characters`
  // the ones in place stand in as a plain letter, one per code point, so positions stay those of `value`
  const judged = [...value.replace(IN_PLACE, (kept) => 'x'.repeat([...kept].length))]
  const chars = [...value]
  let marks = 0
  for (const [i, c] of judged.entries()) {
    marks = MARK.test(c) ? marks + 1 : 0
    if (marks > MAX_MARKS) return `must be printable text: more than ${MAX_MARKS} combining marks in a row at character ${i + 1}; leave the extra ones out`
    const kind = REFUSED.find(([pattern]) => pattern.test(c))?.[1]
    if (kind) return `must be printable text: ${codePoint(chars[i])} at character ${i + 1} is ${kind}; leave it out`
  }
  return undefined
}
