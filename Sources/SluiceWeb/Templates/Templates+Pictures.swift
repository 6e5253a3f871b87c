extension Templates {
    /// A `GraphPicture`: nodes are links (keyboard reachable), each with its full name as a tooltip.
    static let graph = #"""
        <svg class="graph" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}" role="img" aria-label="{{label}}">
        <defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="currentColor"/></marker></defs>
        {{#edges}}<path class="edge" d="{{path}}" marker-end="url(#arrow)"/>{{/edges}}
        {{#nodes}}<a href="{{href}}" class="node {{tone}}{{#focus}} focus{{/focus}}"><title>{{title}}</title><rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"/><text x="{{textX}}" y="{{textY}}" font-weight="600">{{label}}</text><text x="{{textX}}" y="{{subY}}" class="grid-label">{{sublabel}}</text></a>{{/nodes}}
        </svg>
        """#

    /// A `TimelinePicture`: one row a step, one bar an attempt.
    static let timeline = #"""
        <svg class="timeline" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}" role="img" aria-label="{{label}}">
        {{#ticks}}<line class="axis" x1="{{x}}" y1="0" x2="{{x}}" y2="{{bottom}}"/><text class="grid-label" x="{{x}}" y="{{labelY}}" text-anchor="middle">{{label}}</text>{{/ticks}}
        {{#rows}}<text x="4" y="{{textY}}">{{label}}</text>{{#bars}}<rect class="bar {{tone}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" rx="3"><title>{{title}}</title></rect>{{/bars}}<text class="grid-label" x="{{noteX}}" y="{{textY}}">{{note}}</text>{{/rows}}
        </svg>
        """#

    /// A `ChartPicture`: a bar per gate result, its height the share of valid rows, coloured by verdict.
    static let chart = #"""
        <svg class="chart" viewBox="0 0 {{width}} {{height}}" width="{{width}}" height="{{height}}" role="img" aria-label="{{label}}">
        <line class="axis" x1="{{left}}" y1="{{top}}" x2="{{right}}" y2="{{top}}"/><line class="axis" x1="{{left}}" y1="{{base}}" x2="{{right}}" y2="{{base}}"/>
        <text class="grid-label" x="2" y="{{topLabelY}}">100%</text><text class="grid-label" x="2" y="{{base}}">0%</text>
        {{#bars}}<rect class="bar {{tone}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"><title>{{title}}</title></rect>{{/bars}}
        </svg>
        """#
}
