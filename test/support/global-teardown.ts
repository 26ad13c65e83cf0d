/** Stops what global-setup started. */
export default async function globalTeardown(): Promise<void> {
  const stops = globalThis.__testServerStops ?? [];
  await Promise.allSettled(stops.map((stop) => stop()));
}
