/**
 * An empty array already of the kind that holds strings and objects. A literal `[]` starts as an
 * array of small integers and changes kind at its first string or object; V8's optimized code that
 * met only the changed kind is thrown away when a fresh array's first push arrives (`--trace-deopt`:
 * "wrong map", "not a Smi"). Lists on the store's per-line path start as this and are emptied in
 * place (`length = 0`), never replaced.
 */
export function heapList<T extends object | string>(): T[] {
  const list: T[] = [undefined as unknown as T];
  list.length = 0;
  return list;
}
