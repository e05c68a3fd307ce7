/** The console's one stylesheet: readable on a phone and a desktop, focus always visible, colour never alone. */
export const STYLESHEET = `
:root { --ink: #1d2330; --muted: #5b6474; --line: #d6dae1; --accent: #1f5fbf; --bad: #b3261e; --ok: #1e6b35; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .6rem 1rem; background: #fff; border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; margin-right: auto; }
header.top nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
header.top nav a[aria-current="page"] { font-weight: 700; text-decoration: underline 3px; }
main { max-width: 78rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-bottom: 1rem; }
.toolbar .actions { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
label { display: block; font-size: .9rem; color: var(--muted); }
input, select, textarea, button { font: inherit; }
input, select, textarea { padding: .35rem .5rem; border: 1px solid #9aa3b2; border-radius: 4px; background: #fff; min-width: 0; max-width: 100%; }
button, .button { display: inline-block; padding: .4rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
form.inline { display: inline; }
.inline-label { display: inline; color: var(--ink); }
.field { margin: 0 0 .8rem; }
.field input, .field select, .field textarea { width: 100%; }
.field.check { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.field.check input { width: auto; }
.field input[type="color"] { max-width: 6rem; height: 2.4rem; padding: .15rem; }
fieldset.form-grid { border: 1px solid var(--line); border-radius: 4px; padding: .5rem 1rem 0; margin: 0 0 1rem; }
fieldset.form-grid legend { padding: 0 .3rem; color: var(--muted); }
.narrow { max-width: 32rem; }
ul.chips { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
.chip { display: inline-block; padding: 0 .5rem; border: 1px solid #9aa3b2; border-radius: 999px; background: #eef0f4; font-size: .85rem; overflow-wrap: anywhere; }
.row-actions { white-space: nowrap; }
.row-actions a + a { margin-left: .75rem; }
caption { text-align: left; }
.form-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 0 1rem; max-width: 52rem; }
.error { display: block; color: var(--bad); font-size: .9rem; }
.error::before { content: "⚠ "; }
[aria-invalid="true"] { border: 2px solid var(--bad); }
.hint { color: var(--muted); font-size: .85rem; margin: .2rem 0 0; }
.notice { padding: .6rem .8rem; border-left: 4px solid var(--accent); background: #fff; margin: 0 0 1rem; }
.notice.bad { border-color: var(--bad); }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); white-space: nowrap; }
.pager { display: flex; gap: 1rem; align-items: center; margin: .75rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; background: #fff; padding: .75rem 1rem; border: 1px solid var(--line); border-radius: 4px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.allowed::before { content: "✓ "; color: var(--ok); }
.denied::before { content: "✗ "; color: var(--bad); }
/* A select is as wide as its longest option (a long list or owner name): capped at the bar's width, never wider. */
.toolbar > div, .bulk > div { max-width: 100%; }
.bulk { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .75rem 0; padding: .6rem; background: #fff; border: 1px solid var(--line); border-radius: 4px; }
.sign-in { max-width: 24rem; margin: 3rem auto; background: #fff; padding: 1.5rem; border: 1px solid var(--line); border-radius: 6px; }
progress { width: 100%; height: 1.2rem; }
ol.timeline { list-style: none; padding: 0; }
ol.timeline > li { border-left: 3px solid var(--line); padding: .25rem 0 .5rem .75rem; margin-bottom: .5rem; }
@media (max-width: 40rem) { th.optional, td.optional { display: none; } main { padding: .6rem; } }
/* On a phone a table marked .cards is a list of cards, a row each, its cells wrapping inside the card: a table that
   scrolls sideways in its box hides the columns people need. The header row stays, visually hidden, for screen readers;
   cells named by data-label say what they are. */
@media (max-width: 40rem) {
  .table-wrap.cards { overflow-x: visible; background: none; border: 0; }
  .cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .cards table, .cards tbody { display: block; }
  .cards tbody tr { display: flex; flex-wrap: wrap; gap: .15rem 1rem; position: relative; margin-bottom: .5rem; padding: .5rem .75rem .5rem 2.6rem; background: #fff; border: 1px solid var(--line); border-radius: 4px; }
  .cards tbody td { padding: 0; border: 0; min-width: 0; max-width: 100%; overflow-wrap: anywhere; }
  .cards tbody td:empty { display: none; }
  .cards td.pick { position: absolute; left: .75rem; top: .55rem; }
  .cards td.card-title, .cards td.whole { flex-basis: 100%; }
  .cards td.card-title { font-weight: 600; }
  .cards td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
}
`
