extension Templates {
    static let runs = #"""
        {{<layout}}{{$content}}
        <h1>Runs</h1>
        <form class="filters" method="get" action="/ui/runs">
          <label>Pipeline <select name="pipeline">{{#pipelines}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/pipelines}}</select></label>
          <label>Environment <select name="environment">{{#environments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/environments}}</select></label>
          <label>Status <select name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></label>
          <label>Who <input name="who" value="{{principal}}" list="principals" size="12" placeholder="anyone"></label>
          <datalist id="principals">{{#principals}}<option value="{{.}}">{{/principals}}</datalist>
          <label>Started <select name="since">{{#windows}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/windows}}</select></label>
          <button type="submit">Filter</button>
          {{#filtered}}<a href="/ui/runs">Clear</a>{{/filtered}}
        </form>
        {{#runs}}{{>runtable}}{{/runs}}
        {{^runs}}<p class="muted">No runs{{#filtered}} match these filters{{/filtered}}.</p>{{/runs}}
        {{>pager}}
        {{/content}}{{/layout}}
        """#

    static let run = #"""
        {{<layout}}{{$content}}
        <h1>Run <span class="mono">{{id}}</span> {{#badge}}{{>badge}}{{/badge}}</h1>
        {{#live}}<p class="muted" data-watch="{{watchURL}}" data-state="{{state}}">This run is going on; the page follows it.</p>{{/live}}
        <div class="split">
        <dl class="facts card">
          <dt>Pipeline</dt><dd><a href="{{pipelineHref}}">{{pipeline}}</a></dd>
          <dt>Environment</dt><dd><a href="{{environmentHref}}">{{environment}}</a>{{#workEnvironment}} <span class="muted">(worked in {{workEnvironment}})</span>{{/workEnvironment}}</dd>
          <dt>Started by</dt><dd>{{principal}}</dd>
          <dt>Started</dt><dd>{{#started}}{{>when}}{{/started}}</dd>
          <dt>Took</dt><dd>{{duration}}</dd>
          {{#message}}<dt>Message</dt><dd>{{message}}</dd>{{/message}}
          {{#resumedFrom}}<dt>Resumes</dt><dd><a href="{{resumedFromHref}}" class="mono">{{resumedFrom}}</a></dd>{{/resumedFrom}}
          <dt>Code</dt><dd class="mono">{{gitCommit}}</dd>
          <dt>Engine</dt><dd class="mono">{{engineVersion}}</dd>
          <dt>Trace</dt><dd class="mono">{{traceID}}</dd>
          {{#commit}}<dt>Commit</dt><dd class="mono">{{commit}}</dd>{{/commit}}
        </dl>
        <div>
        <h2>Reproduce</h2>
        {{#reproduce}}<pre>{{.}}</pre>{{/reproduce}}
        {{^reproduce}}<p class="muted">This run landed no output to re-derive.</p>{{/reproduce}}
        <pre>{{rerun}}</pre>
        {{#actions}}<div class="actions">
          {{#canCancel}}<form method="post" action="/ui/runs/{{idSegment}}/cancel" data-confirm="Cancel run {{id}}?"><input type="hidden" name="csrf" value="{{chrome.csrf}}"><button type="submit" class="danger">Cancel run</button></form>{{/canCancel}}
          {{#canResume}}<form method="post" action="/ui/runs/{{idSegment}}/resume"><input type="hidden" name="csrf" value="{{chrome.csrf}}"><button type="submit">Resume run</button></form>{{/canResume}}
        </div>{{/actions}}
        </div>
        </div>
        <h2>Steps</h2>
        <div class="table-wrap">{{#graph}}{{>graph}}{{/graph}}</div>
        {{#timeline}}<h2>Timeline</h2><div class="table-wrap">{{>timeline}}</div>{{/timeline}}
        {{#steps}}
        <section id="step-{{anchor}}">
        <h3>{{name}} {{#badge}}{{>badge}}{{/badge}} <span class="muted">{{duration}}</span></h3>
        {{#stepMessage}}<p>{{stepMessage}}</p>{{/stepMessage}}
        {{#reusedFrom}}<p class="muted">Output reused from run <a href="{{reusedFromHref}}" class="mono">{{reusedFrom}}</a>.</p>{{/reusedFrom}}
        {{#versions}}<div class="table-wrap"><table><thead><tr><th>Read or wrote</th><th>Dataset</th><th>Version</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{direction}}</td><td><a href="{{href}}">{{dataset}}</a></td><td class="mono">{{version}}</td></tr>{{/rows}}
        </tbody></table></div>{{/versions}}
        {{#logsHidden}}<p class="muted" role="note">Logs hidden: {{logsHidden}}. A step's output can show any value it read or wrote, so it is shown only to those who may read all of them.</p>{{/logsHidden}}
        {{#attempts}}
        <details{{#open}} open{{/open}}><summary>Attempt {{number}}: {{outcome}}{{#exitCode}}, exit {{exitCode}}{{/exitCode}}, {{took}}</summary>
        {{#stdout}}<h4>stdout</h4><pre>{{stdout}}</pre>{{/stdout}}{{#stderr}}<h4>stderr</h4><pre>{{stderr}}</pre>{{/stderr}}
        {{^stdout}}{{^stderr}}{{^hidden}}<p class="muted">No output.</p>{{/hidden}}{{/stderr}}{{/stdout}}
        {{#cut}}<p class="muted">Only the last 64 KiB are shown: <code>sluice logs {{runID}} {{name}}</code> prints everything.</p>{{/cut}}
        </details>
        {{/attempts}}
        {{#tailURL}}<h4>Output so far</h4><pre data-tail="{{tailURL}}" aria-live="polite"></pre>{{/tailURL}}
        </section>
        {{/steps}}
        {{/content}}{{/layout}}
        """#
}
