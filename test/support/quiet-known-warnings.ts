/**
 * oidc-provider prints two notices that say nothing about our code: it prefers Node 22 to
 * the Node 20 these machines run, and the simulator hands it a body it has already read.
 * Everything else still reaches the console.
 */
const KNOWN = [
  /^oidc-provider WARNING: Unsupported runtime/,
  /already parsed request body detected/,
];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && KNOWN.some((pattern) => pattern.test(args[0] as string)))
    return;
  warn(...args);
};
