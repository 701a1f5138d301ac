/**
 * Dot paths into a command's JSON output, for `save` (docs/scenarios.md): `itemNo`, `error.code`,
 * `0.itemNo` or `[0].itemNo` for an element of a list, `[-1]` for its last element.
 */
export type PathSegment = string | number

/** The segments of a path, or undefined when it is not one (checked when the file is read). */
export function parsePath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = []
  // `a[0].b` is `a.0.b`; a leading `[0]` is `0`
  const normal = path.replace(/\[(-?\d+)\]/g, '.$1').replace(/^\./, '')
  if (normal === '') return undefined
  for (const part of normal.split('.')) {
    if (/^-?\d+$/.test(part)) segments.push(Number(part))
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) segments.push(part)
    else return undefined
  }
  return segments
}

/** The value at `path`, or undefined when the output has nothing there. */
export function getPath(value: unknown, path: PathSegment[]): unknown {
  let here = value
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(here)) return undefined
      here = here.at(segment) // negative counts from the end
    } else {
      if (here === null || typeof here !== 'object' || Array.isArray(here) || !Object.hasOwn(here, segment)) return undefined
      here = (here as Record<string, unknown>)[segment]
    }
  }
  return here
}
