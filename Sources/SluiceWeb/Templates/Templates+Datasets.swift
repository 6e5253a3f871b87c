extension Templates {
    static let datasets = #"""
        {{<layout}}{{$content}}
        <h1>Datasets <span class="muted">{{count}} of {{total}}</span></h1>
        <form class="filters" method="get" action="/ui/datasets">
          <label>Name or owner <input name="q" value="{{search}}" type="search" placeholder="e.g. orders"></label>
          <label>Zone <select name="zone">{{#zones}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/zones}}</select></label>
          <button type="submit">Filter</button>
        </form>
        {{#rows}}
        <div class="table-wrap"><table>
        <thead><tr><th>Dataset</th><th>Owner</th><th>Class</th><th>PII</th><th class="hide-narrow">Lifecycle</th>{{#environments}}<th>{{.}}</th>{{/environments}}<th>Written ({{defaultEnvironment}})</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td>{{owner}}</td><td>{{classification}}</td><td>{{#pii}}<span class="pill pii">{{pii}}</span>{{/pii}}</td><td class="hide-narrow">{{lifecycle}}</td>
        {{#cells}}<td class="mono">{{#cellHref}}<a href="{{cellHref}}">{{cellVersion}}</a>{{/cellHref}}{{^cellHref}}<span class="muted">—</span>{{/cellHref}}</td>{{/cells}}
        <td>{{#written}}{{>when}}{{/written}}{{#stale}} <span class="badge warn"><span aria-hidden="true">⚠</span> stale (limit {{freshness}})</span>{{/stale}}</td></tr>{{/rows}}
        </tbody></table></div>
        {{/rows}}
        {{^rows}}<p class="muted">No dataset you may read matches.</p>{{/rows}}
        {{/content}}{{/layout}}
        """#

    static let dataset = #"""
        {{<layout}}{{$content}}
        <h1>{{name}}</h1>
        {{#summary}}<p>{{summary}}</p>{{/summary}}
        <nav class="actions" aria-label="Environments">{{#environments}}<a href="{{href}}"{{#current}} aria-current="page" class="badge run"{{/current}}>{{name}}</a>{{/environments}}</nav>
        <div class="split">
        <dl class="facts card">
          <dt>Owner</dt><dd>{{owner}}</dd>
          <dt>Classification</dt><dd>{{classification}}</dd>
          <dt>PII</dt><dd>{{#pii}}<span class="pill pii">{{pii}}</span>{{/pii}}{{^pii}}none declared{{/pii}}</dd>
          <dt>Lifecycle</dt><dd>{{lifecycle}}</dd>
          <dt>Written by</dt><dd>{{writer}}</dd>
        </dl>
        <dl class="facts card">
          <dt>Environment</dt><dd>{{environment}}</dd>
          {{#current}}<dt>Version</dt><dd class="mono">{{id}}</dd><dt>Rows</dt><dd>{{rows}}</dd><dt>Size</dt><dd>{{bytes}} in {{files}} file(s)</dd>
          <dt>Written</dt><dd>{{#written}}{{>when}}{{/written}} by {{by}}</dd>{{/current}}
          {{^current}}<dt>Version</dt><dd class="muted">no data in {{environment}} yet</dd>{{/current}}
        </dl>
        </div>
        <h2>Schema</h2>
        {{#columns}}<div class="table-wrap"><table><thead><tr><th>Column</th><th>Type</th><th>Rules</th></tr></thead><tbody>
        {{#rows}}<tr><td class="mono">{{name}}{{#pii}} <span class="pill pii">PII</span>{{/pii}}</td><td>{{type}}</td><td>{{rules}}</td></tr>{{/rows}}
        </tbody></table></div>{{/columns}}
        {{^columns}}<p class="muted">No contract declares its columns.</p>{{/columns}}
        {{#storedSchema}}<p class="muted">Stored header: <span class="mono">{{storedSchema}}</span></p>{{/storedSchema}}
        {{#tableChecks}}<p>Table checks:</p><ul>{{#rows}}<li>{{.}}</li>{{/rows}}</ul>{{/tableChecks}}
        {{#sample}}
        <h2>Statistics <span class="muted">of the first {{scanned}} rows{{#partial}} (the version holds more){{/partial}}</span></h2>
        <div class="table-wrap"><table><thead><tr><th>Column</th><th class="num">Filled</th><th class="num">Empty</th><th class="num">Distinct</th><th>Smallest</th><th>Largest</th></tr></thead><tbody>
        {{#columns}}<tr><td class="mono">{{name}}</td><td class="num">{{filled}}</td><td class="num">{{empty}}</td><td class="num">{{distinct}}</td><td class="mono">{{smallest}}</td><td class="mono">{{largest}}</td></tr>{{/columns}}
        </tbody></table></div>
        <h2>Sample</h2>
        <p class="muted">PII and restricted values are masked unless your role may unmask them.</p>
        <div class="table-wrap"><table class="sample"><thead><tr>{{#header}}<th class="mono">{{.}}</th>{{/header}}</tr></thead><tbody>
        {{#rows}}<tr>{{#cells}}<td class="mono">{{.}}</td>{{/cells}}</tr>{{/rows}}
        </tbody></table></div>
        {{/sample}}
        <h2>Checks over time</h2>
        {{#chart}}<div class="table-wrap">{{>chart}}</div>{{/chart}}
        {{#checkRows}}<div class="table-wrap"><table><thead><tr><th>Result</th><th>When</th><th class="num">Rows</th><th class="num">Invalid</th><th>Failed</th><th>Warnings</th><th>From</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{#badge}}{{>badge}}{{/badge}}</td><td>{{#at}}{{>when}}{{/at}}</td><td class="num">{{rows}}</td><td class="num">{{invalidRows}}</td><td>{{failed}}</td><td>{{warnings}}</td><td class="mono">{{origin}}</td></tr>{{/rows}}
        </tbody></table></div>{{/checkRows}}
        {{^checkRows}}<p class="muted">No gate result for {{name}} in {{environment}} yet.</p>{{/checkRows}}
        <h2 id="lineage">Lineage <span class="muted">{{hops}} hop(s) each way</span></h2>
        {{#lineage}}<div class="table-wrap">{{>graph}}</div>
        <p class="actions"><a href="{{moreHops}}">Show one more hop</a>{{#fewerHops}} <a href="{{fewerHops}}">Show one fewer</a>{{/fewerHops}}</p>{{/lineage}}
        {{^lineage}}<p class="muted">No version yet, so no lineage.</p>{{/lineage}}
        <h2>Versions in {{environment}}</h2>
        {{#history}}<div class="table-wrap"><table><thead><tr><th>Version</th><th>Since</th><th>By</th></tr></thead><tbody>
        {{#rows}}<tr><td class="mono">{{version}}{{#current}} <span class="badge ok">current</span>{{/current}}</td><td>{{#at}}{{>when}}{{/at}}</td><td>{{actor}}</td></tr>{{/rows}}
        </tbody></table></div>{{/history}}
        {{#historyCut}}<p class="muted">Older versions: <code>sluice datasets show {{name}} --env {{environment}}</code>.</p>{{/historyCut}}
        {{/content}}{{/layout}}
        """#
}
