namespace Fitten.Bench.Reporting;

// The page and its chart script. Kept in C# (not an embedded resource) so the report needs nothing at run time.
public static partial class HtmlReport
{
    private const string Template = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{TITLE}}</title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; padding: 0 16px; }
          h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
          table { border-collapse: collapse; margin: 8px 0; }
          th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: right; }
          th { background: #f5f5f5; } td:first-child, th:first-child { text-align: left; }
          .meta { color: #666; } .bad { color: #b00020; } .good { color: #1b5e20; }
          svg.chart { width: 100%; height: 300px; background: #fff; border: 1px solid #eee; }
          svg .axis { stroke: #999; } svg .grid { stroke: #eee; } svg text { font-size: 11px; fill: #555; }
          svg .series { fill: none; stroke-width: 2; } .legend span { display: inline-block; margin-right: 16px; }
          .legend i { display: inline-block; width: 12px; height: 3px; margin-right: 4px; vertical-align: middle; }
        </style>
        </head>
        <body>
        <h1>{{TITLE}}</h1>
        {{TABLES}}
        <h2>Throughput over time</h2>
        <svg id="throughput" class="chart" viewBox="0 0 960 300" role="img" aria-label="requests per second, second by second"></svg>
        <h2>Latency over time</h2>
        <div class="legend" id="latency-over-time-legend"></div>
        <svg id="latency-over-time" class="chart" viewBox="0 0 960 300" role="img" aria-label="p50, p99 and max latency, second by second"></svg>
        <h2>Latency by percentile</h2>
        <svg id="percentiles" class="chart" viewBox="0 0 960 300" role="img" aria-label="latency at each percentile"></svg>
        <script id="bench-data" type="application/json">{{DATA}}</script>
        <script>{{SCRIPT}}</script>
        </body>
        </html>
        """;

    // Draws the three charts into their SVG elements. Plain DOM and SVG, no library: the page must work offline.
    private const string Script = """
        (function () {
          var data = JSON.parse(document.getElementById('bench-data').textContent);
          var NS = 'http://www.w3.org/2000/svg';
          var W = 960, H = 300, L = 70, R = 20, T = 16, B = 40;
          function el(parent, name, attrs, text) {
            var e = document.createElementNS(NS, name);
            for (var k in attrs) e.setAttribute(k, attrs[k]);
            if (text !== undefined) e.textContent = text;
            parent.appendChild(e);
            return e;
          }
          function fmtUs(us) {
            if (us < 1000) return Math.round(us) + 'µs';
            if (us < 1e6) return (us / 1000).toPrecision(3) + 'ms';
            return (us / 1e6).toPrecision(3) + 's';
          }
          function fmtNum(n) { return Math.round(n).toLocaleString('en-US'); }
          // series: [{name, color, points: [[x, y], ...]}]; x and y map linearly, or y on a log scale.
          function chart(id, series, opt) {
            var svg = document.getElementById(id);
            var xs = [], ys = [];
            series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
            if (!xs.length) { el(svg, 'text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no data'); return; }
            var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
            if (x1 === x0) x1 = x0 + 1;
            var y1 = Math.max.apply(null, ys) * 1.1 || 1, y0 = 0;
            var logY = opt.logY, ly0 = 0, ly1 = 0;
            if (logY) { ly0 = Math.log10(Math.max(1, Math.min.apply(null, ys))); ly1 = Math.log10(Math.max(10, y1)); if (ly1 - ly0 < 1) ly0 = ly1 - 1; }
            function sx(x) { return L + (x - x0) / (x1 - x0) * (W - L - R); }
            function sy(y) {
              if (logY) return H - B - (Math.log10(Math.max(1, y)) - ly0) / (ly1 - ly0) * (H - T - B);
              return H - B - (y - y0) / (y1 - y0) * (H - T - B);
            }
            for (var i = 0; i <= 4; i++) {
              var v = logY ? Math.pow(10, ly0 + (ly1 - ly0) * i / 4) : y0 + (y1 - y0) * i / 4;
              var yy = sy(v);
              el(svg, 'line', { x1: L, x2: W - R, y1: yy, y2: yy, 'class': 'grid' });
              el(svg, 'text', { x: L - 6, y: yy + 4, 'text-anchor': 'end' }, opt.fmtY(v));
            }
            opt.xTicks(x0, x1).forEach(function (t) {
              el(svg, 'text', { x: sx(t[0]), y: H - B + 16, 'text-anchor': 'middle' }, t[1]);
            });
            el(svg, 'line', { x1: L, x2: L, y1: T, y2: H - B, 'class': 'axis' });
            el(svg, 'line', { x1: L, x2: W - R, y1: H - B, y2: H - B, 'class': 'axis' });
            el(svg, 'text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, opt.xLabel);
            series.forEach(function (s) {
              var d = s.points.map(function (p, i) { return (i ? 'L' : 'M') + sx(p[0]).toFixed(1) + ',' + sy(p[1]).toFixed(1); }).join('');
              el(svg, 'path', { d: d, stroke: s.color, 'class': 'series', 'data-name': s.name, 'data-points': s.points.length });
              s.points.forEach(function (p) {
                el(svg, 'circle', { cx: sx(p[0]).toFixed(1), cy: sy(p[1]).toFixed(1), r: 2.5, fill: s.color }, undefined)
                  .appendChild(document.createElementNS(NS, 'title')).textContent = s.name + ': ' + opt.fmtY(p[1]);
              });
            });
          }
          function secondTicks(x0, x1) {
            var step = Math.max(1, Math.ceil((x1 - x0) / 10)), out = [];
            for (var t = Math.ceil(x0); t <= x1; t += step) out.push([t, t + 's']);
            return out;
          }
          var secs = data.seconds;
          chart('throughput', [
            { name: 'requests/s', color: '#1565c0', points: secs.map(function (s) { return [s.second, s.requests]; }) },
            { name: 'errors/s', color: '#b00020', points: secs.map(function (s) { return [s.second, s.errors]; }) }
          ], { fmtY: fmtNum, xTicks: secondTicks, xLabel: 'second of the measured run' });
          var lat = [
            { name: 'p50', color: '#2e7d32', key: 'p50_us' },
            { name: 'p99', color: '#ef6c00', key: 'p99_us' },
            { name: 'max', color: '#b00020', key: 'max_us' }
          ];
          var legend = document.getElementById('latency-over-time-legend');
          lat.forEach(function (s) { legend.insertAdjacentHTML('beforeend', '<span><i style="background:' + s.color + '"></i>' + s.name + '</span>'); });
          chart('latency-over-time', lat.map(function (s) {
            return { name: s.name, color: s.color, points: secs.filter(function (x) { return x.requests > x.errors; }).map(function (x) { return [x.second, x[s.key]]; }) };
          }), { fmtY: fmtUs, logY: true, xTicks: secondTicks, xLabel: 'second of the measured run' });
          // Percentiles on a "1 in N" log axis, as HdrHistogram plots them: 90% = 1 in 10, 99.9% = 1 in 1000.
          function nines(p) { return p >= 100 ? null : Math.log10(100 / (100 - p)); }
          var pts = data.percentiles.filter(function (p) { return nines(p.percentile) !== null; })
            .map(function (p) { return [nines(p.percentile), p.latency_us]; });
          if (data.percentiles.length) { var last = pts.length ? pts[pts.length - 1][0] : 0; pts.push([last + 0.25, data.latency_us.max]); }
          chart('percentiles', [{ name: 'latency', color: '#6a1b9a', points: pts }], {
            fmtY: fmtUs, logY: true, xLabel: 'percentile',
            xTicks: function (x0, x1) {
              var out = [];
              for (var n = 0; n <= Math.floor(x1); n++) out.push([n, n === 0 ? '0%' : (100 - 100 / Math.pow(10, n)).toFixed(Math.max(0, n - 2)) + '%']);
              return out;
            }
          });
        })();
        """;
}
