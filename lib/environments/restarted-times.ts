// "restarted once", "restarted 3 times": a container's restart count as people say it. Client-safe.
export function restartedTimes(count: number): string {
  return count === 1 ? "restarted once" : `restarted ${count.toLocaleString("en")} times`;
}
