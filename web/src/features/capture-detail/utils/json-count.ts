/** Number of nodes, counting stops at `limit`. */
export function countNodes(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count < limit) {
    const next = stack.pop();
    count += 1;
    if (next === null || typeof next !== 'object') continue;
    // One at a time: spreading a 300,000-element array into push() overflows the call stack.
    for (const child of Object.values(next)) {
      if (stack.length + count >= limit) break;
      stack.push(child);
    }
  }
  return count;
}
