/**
 * `derive(value)` computed once per object: stored configs and hub events are shared, unchanged
 * objects, so what is derived from them (their JSON, a compiled validator) is cached by identity
 * and released with the object.
 */
export function memoByIdentity<K extends object, V>(derive: (value: K) => V): (value: K) => V {
  const known = new WeakMap<K, V>();
  return (value) => {
    if (known.has(value)) return known.get(value) as V;
    const derived = derive(value);
    known.set(value, derived);
    return derived;
  };
}
