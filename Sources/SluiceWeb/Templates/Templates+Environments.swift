extension Templates {
    static let environments = #"""
        {{<layout}}{{$content}}
        <h1>Environments</h1>
        <form class="filters" method="get" action="/ui/compare">
          <label>Compare <select name="from">{{#compareFrom}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/compareFrom}}</select></label>
          <label>with <select name="to">{{#names}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/names}}</select></label>
          <button type="submit">Compare</button>
        </form>
        {{#rows}}<div class="table-wrap"><table>
        <thead><tr><th>Environment</th><th>Head</th><th class="num">Datasets</th><th>Lifecycle</th><th>Created</th><th>Idle</th><th>Expires</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="{{href}}">{{name}}</a>{{#protected}} <span class="badge run">protected</span>{{/protected}}</td><td class="mono">{{head}}</td><td class="num">{{datasets}}</td><td>{{lifecycle}}</td><td>{{#created}}{{>when}}{{/created}} {{createdBy}}</td><td>{{idle}}</td><td>{{#expires}}{{>when}}{{/expires}}{{^expires}}<span class="muted">never</span>{{/expires}}</td></tr>{{/rows}}
        </tbody></table></div>{{/rows}}
        {{^rows}}<p class="muted">No environment you may read.</p>{{/rows}}
        {{/content}}{{/layout}}
        """#

    static let environment = #"""
        {{<layout}}{{$content}}
        <h1>{{name}}{{#protected}} <span class="badge run">protected</span>{{/protected}}</h1>
        <div class="split">
        <dl class="facts card">
          <dt>Head</dt><dd class="mono">{{head}}</dd>
          <dt>Lifecycle</dt><dd>{{lifecycle}}</dd>
          <dt>Created</dt><dd>{{#created}}{{>when}}{{/created}} by {{createdBy}}{{#base}} from {{base}}{{/base}}</dd>
          <dt>Idle for</dt><dd>{{idle}}</dd>
          <dt>Expires</dt><dd>{{#expires}}{{>when}}{{/expires}}{{^expires}}never{{/expires}}</dd>
        </dl>
        <div><p><a href="{{compareHref}}">Compare with another environment</a></p></div>
        </div>
        <h2>Moves</h2>
        {{#moves}}<div class="table-wrap"><table><thead><tr><th>When</th><th>Who</th><th>Why</th><th>From → to</th><th>Run</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{#at}}{{>when}}{{/at}}</td><td>{{actor}}</td><td>{{reason}}</td><td class="mono">{{from}} → {{to}}</td><td>{{#runHref}}<a href="{{runHref}}" class="mono">{{run}}</a>{{/runHref}}</td></tr>{{/rows}}
        </tbody></table></div>{{/moves}}
        {{^moves}}<p class="muted">It has not moved.</p>{{/moves}}
        {{#movesCut}}<p class="muted">Older moves: <code>sluice log --env {{name}}</code>.</p>{{/movesCut}}
        <h2>Datasets <span class="muted">{{datasetCount}}</span></h2>
        {{#datasets}}<details{{#fewDatasets}} open{{/fewDatasets}}><summary>The version of each dataset in its head</summary><div class="table-wrap"><table><thead><tr><th>Dataset</th><th>Version</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td class="mono">{{version}}</td></tr>{{/rows}}
        </tbody></table></div></details>{{/datasets}}
        {{^datasets}}<p class="muted">It holds no data you may read.</p>{{/datasets}}
        {{/content}}{{/layout}}
        """#

    static let compare = #"""
        {{<layout}}{{$content}}
        <h1>Compare <span class="mono">{{from}}</span> → <span class="mono">{{to}}</span></h1>
        <form class="filters" method="get" action="/ui/compare">
          <label>From <select name="from">{{#fromChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/fromChoices}}</select></label>
          <label>To <select name="to">{{#toChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/toChoices}}</select></label>
          <button type="submit">Compare</button>
        </form>
        <p>What promoting {{from}} into {{to}} would change in {{to}} ({{same}} dataset(s) are the same in both):</p>
        {{#changes}}<div class="table-wrap"><table>
        <thead><tr><th>Dataset</th><th>Change</th><th>{{from}}</th><th>{{to}}</th><th class="num">Rows in {{from}}</th><th class="num">Rows in {{to}}</th><th class="num">Δ rows</th><th>Header</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{href}}">{{dataset}}</a></td><td class="{{tone}}">{{kind}}</td><td class="mono">{{fromVersion}}</td><td class="mono">{{toVersion}}</td><td class="num">{{fromRows}}</td><td class="num">{{toRows}}</td><td class="num">{{rowDelta}}</td>
        <td>{{#columnsAdded}}<span class="added">+ {{columnsAdded}}</span> {{/columnsAdded}}{{#columnsRemoved}}<span class="removed">− {{columnsRemoved}}</span>{{/columnsRemoved}}</td></tr>{{/rows}}
        </tbody></table></div>
        <p>To promote: <code>{{promote}}</code> (a CI identity's job for protected environments).</p>{{/changes}}
        {{^changes}}<p class="muted">No differences you may read: a promotion would change nothing.</p>{{/changes}}
        {{/content}}{{/layout}}
        """#
}
