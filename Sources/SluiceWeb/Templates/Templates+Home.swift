extension Templates {
    static let home = #"""
        {{<layout}}{{$content}}
        <h1>Overview</h1>
        <section aria-labelledby="attention">
        <h2 id="attention">Needs attention</h2>
        <div class="grid">
        {{#tiles}}<a class="tile {{tone}}" href="{{href}}"><strong>{{value}}</strong>{{label}}</a>{{/tiles}}
        </div>
        {{#calm}}<p class="muted">Nothing needs attention: no failed or running runs, failing checks, stale data, quarantined batches, expiring environments or denials.</p>{{/calm}}

        {{#running}}<h3>Running</h3>{{>runtable}}{{/running}}
        {{#failed}}<h3>Failed in the last 24 hours</h3>{{>runtable}}{{/failed}}

        {{#failingChecks}}<h3>Failing checks</h3>
        <div class="table-wrap"><table><thead><tr><th>Dataset</th><th>Environment</th><th>Failed</th><th>Checked</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{datasetHref}}">{{dataset}}</a></td><td>{{environment}}</td><td>{{failed}}</td><td>{{#at}}{{>when}}{{/at}}</td></tr>{{/rows}}
        </tbody></table></div>{{/failingChecks}}

        {{#stale}}<h3>Stale datasets</h3>
        <div class="table-wrap"><table><thead><tr><th>Dataset</th><th>Environment</th><th>Current version written</th><th>Freshness limit</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{href}}">{{dataset}}</a></td><td>{{environment}}</td><td>{{age}} ago</td><td>{{limit}}</td></tr>{{/rows}}
        </tbody></table></div>{{/stale}}

        {{#quarantined}}<h3>Quarantined in the last 7 days</h3>{{>quarantinetable}}{{/quarantined}}

        {{#expiring}}<h3>Environments expiring within 7 days</h3>
        <div class="table-wrap"><table><thead><tr><th>Environment</th><th>Expires</th><th>Lifecycle</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{href}}">{{name}}</a></td><td>{{#expires}}{{>when}}{{/expires}}</td><td>{{lifecycle}}</td></tr>{{/rows}}
        </tbody></table></div>{{/expiring}}

        {{#denials}}<h3>Denied in the last 24 hours</h3>{{>audittable}}{{/denials}}
        </section>

        <section aria-labelledby="pipelines">
        <h2 id="pipelines">Pipelines</h2>
        <div class="table-wrap"><table>
        <thead><tr><th>Pipeline</th><th class="num">Steps</th><th>Runs into</th><th>Schedule</th><th>Next run</th><th>Last runs (oldest → newest)</th></tr></thead>
        <tbody>
        {{#pipelines}}<tr>
        <td><a href="{{href}}">{{name}}</a></td><td class="num">{{steps}}</td><td>{{environment}}</td>
        <td>{{#schedule}}<code>{{schedule}}</code>{{/schedule}}{{#triggers}} <span class="muted">on data: {{triggers}}</span>{{/triggers}}{{^schedule}}{{^triggers}}<span class="muted">by hand</span>{{/triggers}}{{/schedule}}</td>
        <td>{{#next}}{{>when}}{{/next}}{{^next}}<span class="muted">—</span>{{/next}}</td>
        <td><span class="dots">{{#dots}}<a class="dot {{tone}}" href="{{href}}" title="{{title}}" aria-label="{{title}}">{{symbol}}</a>{{/dots}}</span>{{^dots}}<span class="muted">no runs yet</span>{{/dots}}</td>
        </tr>{{/pipelines}}
        </tbody></table></div>
        {{^pipelines}}<p class="muted">The project declares no pipelines.</p>{{/pipelines}}
        </section>
        {{/content}}{{/layout}}
        """#

    /// Runs as a table: the context is a `Listing<RunRow>`.
    static let runTable = #"""
        <div class="table-wrap"><table>
        <thead><tr><th>Run</th><th>Status</th><th>Pipeline</th><th>Environment</th><th>Who</th><th>Started</th><th class="num">Took</th><th class="hide-narrow">Message</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td><a href="{{href}}" class="mono">{{id}}</a></td><td>{{#badge}}{{>badge}}{{/badge}}</td><td><a href="{{pipelineHref}}">{{pipeline}}</a></td><td>{{environment}}</td><td>{{principal}}</td><td>{{#started}}{{>when}}{{/started}}</td><td class="num">{{duration}}</td><td class="hide-narrow">{{message}}</td></tr>{{/rows}}
        </tbody></table></div>
        """#

    /// Quarantined batches as a table: the context is a `Listing<QuarantineRow>`.
    static let quarantineTable = #"""
        <div class="table-wrap"><table><thead><tr><th>Batch</th><th>Dataset</th><th>Environment</th><th class="num">Rows</th><th>Reason</th><th>When</th><th>By</th></tr></thead><tbody>
        {{#rows}}<tr><td><a href="{{href}}" class="mono">{{id}}</a></td><td>{{dataset}}</td><td>{{environment}}</td><td class="num">{{rowCount}}</td><td>{{reason}}</td><td>{{#at}}{{>when}}{{/at}}</td><td>{{by}}</td></tr>{{/rows}}
        </tbody></table></div>
        """#

    /// Audit events as a table, denials highlighted: the context is a `Listing<AuditRow>`.
    static let auditTable = #"""
        <div class="table-wrap"><table><thead><tr><th class="num">#</th><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Outcome</th><th class="hide-narrow">Details</th></tr></thead><tbody>
        {{#rows}}<tr{{#denied}} class="denied"{{/denied}}><td class="num">{{sequence}}</td><td>{{#at}}{{>when}}{{/at}}</td><td>{{principal}}</td><td>{{action}}</td><td class="mono">{{target}}</td><td>{{#badge}}{{>badge}}{{/badge}}</td><td class="hide-narrow mono">{{details}}</td></tr>{{/rows}}
        </tbody></table></div>
        """#
}
