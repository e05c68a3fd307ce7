// Wrangler bundles this file as a string (the Text rule in wrangler.toml).
declare module 'htmx.org/dist/htmx.min.js' {
  const source: string
  export default source
}
