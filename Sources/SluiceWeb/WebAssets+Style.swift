extension WebAssets {
    /// The one stylesheet. Status colours are the Okabe–Ito palette (told apart with the common colour
    /// blindnesses), and every status also carries a symbol and a word.
    static let style = #"""
        :root {
          --bg: #ffffff; --fg: #1b1f24; --muted: #59636e; --line: #d8dee4; --panel: #f6f8fa; --accent: #0b5cad; --on-accent: #ffffff;
          --ok: #007a5a; --bad: #c0440a; --run: #0072b2; --warn: #a36800; --off: #6e7781;
          --ok-bg: #e3f4ee; --bad-bg: #fbe9e1; --run-bg: #e1eff8; --warn-bg: #fbf0d9; --off-bg: #eef1f4;
          --mono: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
          --sans: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Roboto, sans-serif;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0f1419; --fg: #e6e9ec; --muted: #9aa5b1; --line: #2d3640; --panel: #161d24; --accent: #6cb6ff; --on-accent: #0f1419;
            --ok: #3fc99a; --bad: #ff8a5c; --run: #56b4e9; --warn: #f0c050; --off: #8b949e;
            --ok-bg: #12302a; --bad-bg: #3a1d12; --run-bg: #10283a; --warn-bg: #332812; --off-bg: #1f262d;
          }
        }
        * { box-sizing: border-box; }
        html { font-size: 15px; }
        body { margin: 0; background: var(--bg); color: var(--fg); font-family: var(--sans); line-height: 1.45; }
        a { color: var(--accent); text-underline-offset: 2px; }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
          outline: 3px solid var(--run); outline-offset: 2px; }
        code, pre, .mono { font-family: var(--mono); font-size: .92em; }
        pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem;
          overflow: auto; max-height: 32rem; white-space: pre-wrap; word-break: break-all; }
        h1 { font-size: 1.45rem; margin: .2rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; }
        h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .4rem; }
        .skip:focus { left: .5rem; z-index: 10; }
        .top { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1.2rem; padding: .55rem 1.2rem;
          border-bottom: 1px solid var(--line); background: var(--panel); }
        .brand { display: flex; align-items: center; gap: .4rem; font-weight: 700; color: var(--fg);
          text-decoration: none; }
        .brand .project { font-weight: 400; color: var(--muted); }
        .top nav ul { display: flex; flex-wrap: wrap; gap: .2rem; list-style: none; margin: 0; padding: 0; }
        .top nav a { display: block; padding: .3rem .6rem; border-radius: 6px; color: var(--fg); text-decoration: none; }
        .top nav a:hover { background: var(--off-bg); }
        .top nav a[aria-current="page"] { background: var(--run-bg); color: var(--run); font-weight: 600; }
        .who { margin-left: auto; display: flex; gap: .6rem; align-items: center; }
        .who form { margin: 0; }
        main { padding: 1rem 1.2rem 2rem; max-width: 1280px; margin: 0 auto; }
        main:focus { outline: none; }
        .foot { color: var(--muted); font-size: .85rem; padding: 1rem 1.2rem; border-top: 1px solid var(--line); }
        .muted { color: var(--muted); }
        time { white-space: nowrap; }
        .notice { background: var(--warn-bg); border-left: 4px solid var(--warn); padding: .5rem .8rem; }
        .problem { color: var(--bad); font-weight: 600; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .9rem 1rem; }
        .narrow { max-width: 32rem; }
        .grid { display: grid; gap: .8rem; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
        .tile { display: block; background: var(--panel); border: 1px solid var(--line); border-left-width: 5px;
          border-radius: 8px; padding: .6rem .8rem; color: var(--fg); text-decoration: none; }
        .tile strong { display: block; font-size: 1.5rem; }
        .tile.bad { border-left-color: var(--bad); } .tile.warn { border-left-color: var(--warn); }
        .tile.run { border-left-color: var(--run); } .tile.ok { border-left-color: var(--ok); }
        .tile.off { border-left-color: var(--off); }
        .badge { display: inline-flex; gap: .25rem; align-items: center; padding: .05rem .45rem; border-radius: 999px;
          font-size: .85rem; font-weight: 600; white-space: nowrap; }
        .badge.ok { color: var(--ok); background: var(--ok-bg); } .badge.bad { color: var(--bad); background: var(--bad-bg); }
        .badge.run { color: var(--run); background: var(--run-bg); } .badge.warn { color: var(--warn); background: var(--warn-bg); }
        .badge.off { color: var(--off); background: var(--off-bg); }
        .table-wrap { overflow-x: auto; }
        .flow { overflow: auto; max-height: 85vh; border: 1px solid var(--line, #d0d7de); border-radius: 6px; }
        .flow img { max-width: none; height: auto; display: block; } .flow.fit img { max-width: 100%; }
        details.findings { margin: .4rem 0; } details.findings summary { cursor: pointer; }
        details.findings li { margin: .25rem 0; }
        table { border-collapse: collapse; width: 100%; font-size: .93rem; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; font-size: .85rem; white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.denied td { background: var(--bad-bg); }
        .dots { display: inline-flex; gap: 3px; vertical-align: middle; }
        .dot { display: inline-block; width: 14px; height: 14px; border-radius: 3px; font-size: 10px; line-height: 14px;
          text-align: center; color: #fff; text-decoration: none; }
        .dot.ok { background: var(--ok); } .dot.bad { background: var(--bad); } .dot.run { background: var(--run); }
        .dot.off { background: var(--off); } .dot.warn { background: var(--warn); }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem .8rem; align-items: end; margin-bottom: 1rem; }
        form.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .15rem; }
        input, select, button { font: inherit; color: inherit; }
        input, select { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .3rem .5rem; }
        input[type=password] { width: 100%; margin: .3rem 0 .6rem; }
        button { background: var(--accent); color: var(--on-accent); border: 0; border-radius: 6px; padding: .35rem .9rem;
          cursor: pointer; font-weight: 600; }
        button.danger { background: var(--bad); color: var(--on-accent); }
        button.link { background: none; color: var(--accent); padding: 0; font-weight: 400; text-decoration: underline; }
        .actions { display: flex; gap: .6rem; flex-wrap: wrap; margin: .6rem 0; }
        .actions form { margin: 0; }
        .pager { display: flex; gap: 1rem; margin: .8rem 0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .split { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); }
        svg { max-width: 100%; height: auto; }
        svg text { font-family: var(--sans); font-size: 12px; fill: var(--fg); }
        svg .edge { stroke: var(--muted); stroke-width: 1.5; fill: none; }
        svg .node rect { stroke-width: 2; rx: 6; }
        svg .node.ok rect { fill: var(--ok-bg); stroke: var(--ok); } svg .node.bad rect { fill: var(--bad-bg); stroke: var(--bad); }
        svg .node.run rect { fill: var(--run-bg); stroke: var(--run); } svg .node.off rect { fill: var(--off-bg); stroke: var(--off); }
        svg .node.warn rect { fill: var(--warn-bg); stroke: var(--warn); }
        svg .node.focus rect { stroke-width: 3.5; }
        svg .bar.ok { fill: var(--ok); } svg .bar.bad { fill: var(--bad); } svg .bar.run { fill: var(--run); }
        svg .bar.off { fill: var(--off); } svg .bar.warn { fill: var(--warn); }
        svg .axis { stroke: var(--line); } svg .grid-label { fill: var(--muted); font-size: 11px; }
        svg a:focus rect { stroke-width: 4; }
        .pill { display: inline-block; padding: 0 .4rem; border: 1px solid var(--line); border-radius: 4px; font-size: .8rem; }
        .pill.pii { border-color: var(--warn); color: var(--warn); }
        .added { color: var(--ok); } .removed { color: var(--bad); } .changed { color: var(--warn); }
        @media (max-width: 640px) {
          html { font-size: 14px; }
          .top { padding: .5rem .7rem; } main { padding: .8rem .7rem 1.5rem; }
          .who { margin-left: 0; }
          .hide-narrow { display: none; }
        }
        """#

    static let icon = #"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0072b2"/><path d="M6 11h20M6 16h20M6 21h20" stroke="#fff" stroke-width="3" stroke-linecap="round"/><path d="M22 7v18" stroke="#e69f00" stroke-width="3" stroke-linecap="round"/></svg>
        """#
}
