extension Templates {
    static let quality = #"""
        {{<layout}}{{$content}}
        <h1>Quality</h1>
        <h2>Failing and warning checks <span class="muted">({{passing}} dataset(s) pass cleanly)</span></h2>
        {{#problems}}<div class="table-wrap"><table><thead><tr><th>Dataset</th><th>Environment</th><th>Result</th><th>Failed</th><th>Warnings</th><th class="num">Rows</th><th class="num">Invalid</th><th>Checked</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{datasetHref}}">{{dataset}}</a></td><td>{{environment}}</td><td>{{#badge}}{{>badge}}{{/badge}}</td><td>{{failed}}</td><td>{{warnings}}</td><td class="num">{{rows}}</td><td class="num">{{invalidRows}}</td><td>{{#at}}{{>when}}{{/at}}</td></tr>{{/rows}}
        </tbody></table></div>{{/problems}}
        {{^problems}}<p class="muted">Every latest gate result you may read passed without warnings.</p>{{/problems}}
        <h2 id="quarantine">Quarantined batches</h2>
        {{#quarantined}}{{>quarantinetable}}{{/quarantined}}
        {{^quarantined}}<p class="muted">Nothing is quarantined.</p>{{/quarantined}}
        {{#quarantineCut}}<p class="muted">The 200 newest are shown: <code>sluice quarantine list</code> lists them all.</p>{{/quarantineCut}}
        {{/content}}{{/layout}}
        """#

    static let quarantine = #"""
        {{<layout}}{{$content}}
        <h1>Quarantined batch <span class="mono">{{id}}</span></h1>
        <dl class="facts card">
          <dt>Dataset</dt><dd><a href="{{datasetHref}}">{{dataset}}</a> in {{environment}}</dd>
          <dt>Kind</dt><dd>{{kind}}</dd>
          <dt>Reason</dt><dd>{{reason}}</dd>
          <dt>Rows</dt><dd>{{rowCount}}</dd>
          <dt>From</dt><dd class="mono">{{origin}}</dd>
          <dt>When</dt><dd>{{#at}}{{>when}}{{/at}} by {{by}}</dd>
        </dl>
        <h2>Rows</h2>
        {{#hidden}}<p class="notice">{{hidden}}</p>{{/hidden}}
        {{#sample}}<p class="muted">The first {{shown}} of {{scanned}} row(s) read{{#partial}} (the batch holds more: <code>sluice quarantine show {{id}}</code>){{/partial}}, masked as the dataset is.</p>
        <div class="table-wrap"><table><thead><tr>{{#header}}<th class="mono">{{.}}</th>{{/header}}</tr></thead><tbody>
        {{#rows}}<tr>{{#cells}}<td class="mono">{{.}}</td>{{/cells}}</tr>{{/rows}}
        </tbody></table></div>{{/sample}}
        {{/content}}{{/layout}}
        """#

    static let audit = #"""
        {{<layout}}{{$content}}
        <h1>Audit</h1>
        {{#chain}}<p class="card">{{#intact}}<span class="badge ok"><span aria-hidden="true">✓</span> chain intact</span>{{/intact}}{{^intact}}<span class="badge bad"><span aria-hidden="true">✗</span> chain broken</span> {{problem}}{{/intact}}
        {{events}} events verified {{#checked}}{{>when}}{{/checked}}{{#newer}}; {{newer}} written since are checked at the next verification{{/newer}}. <code>sluice audit verify</code> also compares the records the chain vouches for.</p>{{/chain}}
        <form class="filters" method="get" action="/ui/audit">
          <label>Who <input name="principal" value="{{principal}}" size="12"></label>
          <label>Action <input name="action" value="{{action}}" size="14" placeholder="e.g. promote"></label>
          <label>Target <input name="target" value="{{target}}" size="18"></label>
          <label>Outcome <select name="outcome">{{#outcomes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/outcomes}}</select></label>
          <button type="submit">Filter</button>
          {{#filtered}}<a href="/ui/audit">Clear</a>{{/filtered}}
        </form>
        {{#events}}{{>audittable}}{{/events}}
        {{^events}}<p class="muted">No events{{#filtered}} match these filters{{/filtered}}.</p>{{/events}}
        {{>pager}}
        {{/content}}{{/layout}}
        """#

    static let flow = #"""
        {{<layout}}{{$content}}
        <h1>Data flow</h1>
        <form class="filters" method="get" action="/ui/flow">
        <label>Access in <select name="env">{{#environments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/environments}}</select></label>
        <button type="submit">Show</button>
        </form>
        <p class="muted">Who may read and write each dataset in {{environment}}, whom each step runs as, and what the policy review found (in red), drawn from the project's files. The same as <code>sluice diagram --env {{environment}}</code>.</p>
        <form class="filters" method="get" action="/ui/flow"><input type="hidden" name="env" value="{{environment}}">
        <label>Zoom <select name="zoom">{{#zooms}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/zooms}}</select></label>
        <button type="submit">Zoom</button> <a href="{{image}}">the picture alone</a>
        </form>
        <div class="flow{{^width}} fit{{/width}}"><img src="{{image}}"{{#width}} width="{{width}}"{{/width}} alt="The data flow of the project in {{environment}}"></div>
        <h2>Policy findings</h2>
        {{#findings}}<p>{{total}} in all, by kind:</p>{{#rows}}<details class="findings"><summary><span class="badge bad">{{kind}}</span> {{count}}</summary><ul>{{#messages}}<li>{{.}}</li>{{/messages}}</ul></details>{{/rows}}{{/findings}}
        {{^findings}}<p class="muted">None: no one but the pipeline changes a protected environment, sensitive data stays with those who change it, every path is gated, every dataset is read.</p>{{/findings}}
        {{/content}}{{/layout}}
        """#

    static let lifecycle = #"""
        {{<layout}}{{$content}}
        <h1>Lifecycle</h1>
        <h2>Environments that expire</h2>
        {{#upcoming}}<div class="table-wrap"><table><thead><tr><th>Environment</th><th>Expires</th><th>Rule</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td>{{#when}}{{>when}}{{/when}}{{#due}} <span class="badge warn">due</span>{{/due}}</td><td>{{rule}}</td></tr>{{/rows}}
        </tbody></table></div>{{/upcoming}}
        {{^upcoming}}<p class="muted">No environment you may read has an expiry.</p>{{/upcoming}}
        <h2>What gc would delete now</h2>
        {{#refusal}}<p class="notice">{{refusal}}</p>{{/refusal}}
        {{#planned}}
        <p>A dry run of <code>{{command}}</code> (grace {{grace}}), made {{#planMade}}{{>when}}{{/planMade}} (every minute while the page is looked at): {{objects}} unreferenced object(s), {{bytes}}; kept {{keptReferenced}} referenced and {{keptRecent}} too recent to judge; {{staging}} stale staging file(s).</p>
        <h3>Environments</h3>
        {{#environments}}<div class="table-wrap"><table><thead><tr><th>Environment</th><th>Why</th><th>Last used</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td>{{rule}}</td><td>{{#when}}{{>when}}{{/when}}</td></tr>{{/rows}}
        </tbody></table></div>{{/environments}}
        {{^environments}}<p class="muted">None.</p>{{/environments}}
        <h3>Dataset versions let go</h3>
        {{#versions}}{{>retiredtable}}{{/versions}}{{^versions}}<p class="muted">None.</p>{{/versions}}
        {{#versionsCut}}<p class="muted">The first 100 are shown.</p>{{/versionsCut}}
        <h3>Run records</h3>
        {{#runs}}{{>retiredtable}}{{/runs}}{{^runs}}<p class="muted">None.</p>{{/runs}}
        {{#runsCut}}<p class="muted">The first 100 are shown.</p>{{/runsCut}}
        <h3>Quarantined batches</h3>
        {{#quarantines}}{{>retiredtable}}{{/quarantines}}{{^quarantines}}<p class="muted">None.</p>{{/quarantines}}
        {{/planned}}
        {{/content}}{{/layout}}
        """#

    static let retiredTable = #"""
        <div class="table-wrap"><table><thead><tr><th>What</th><th>Why</th><th>Since</th></tr></thead><tbody>
        {{#rows}}<tr><td class="mono">{{#href}}<a href="{{href}}">{{what}}</a>{{/href}}{{^href}}{{what}}{{/href}}</td><td>{{rule}}</td><td>{{#when}}{{>when}}{{/when}}</td></tr>{{/rows}}
        </tbody></table></div>
        """#
}
