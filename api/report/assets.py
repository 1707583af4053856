"""The style sheet and the script of the report page, inlined into every report (no network).

The script only adds convenience (clicking a step box selects its row, arrow keys step); the
page is complete without it: step boxes are links to `#step-N` and states are `<details>`."""

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2430;background:#fafbfc}
header{padding:12px 20px;background:#243b55;color:#fff}
header h1{font-size:18px;margin:0 0 4px} header p{margin:0;opacity:.9}
main{display:flex;gap:16px;padding:16px 20px;align-items:flex-start}
.chart{position:sticky;top:8px;overflow:auto;background:#fff;border:1px solid #d0d7de;
border-radius:6px;flex:0 0 auto;
max-height:88vh}
.side{flex:1 1 420px;min-width:360px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;
margin-bottom:10px}
section.violated{border:2px solid #c62828;background:#fff5f5}
section.violated h2{color:#c62828}
h2{font-size:15px;margin:4px 0 6px} h3{font-size:14px;margin:6px 0}
code,pre,td.v{font-family:ui-monospace,monospace;font-size:12px}
pre{white-space:pre-wrap;margin:4px 0}
table{border-collapse:collapse;width:100%} td{border-top:1px solid #eee;padding:2px 6px;
vertical-align:top} td.k{white-space:nowrap;font-family:ui-monospace,monospace;font-size:12px}
tr.broken td{background:#ffd6d6}
.step.selected,.step:target{outline:3px solid #f9a825}
.step.in-loop{background:#fffbe6}
.old{color:#9a3412;text-decoration:line-through} .new{color:#166534}
.cost{color:#555;font-size:12px}
svg.msc text{font:12px system-ui,sans-serif}
svg.msc .lane-head{fill:#243b55} svg.msc .lane-name{fill:#fff;text-anchor:middle}
svg.msc .lifeline{stroke:#8796a8;stroke-dasharray:4 4}
svg.msc .box{fill:#e3f2fd;stroke:#1565c0} svg.msc .label{text-anchor:middle}
svg.msc .step.current .box,svg.msc .step.selected .box{fill:#fff59d;stroke:#f57f17}
svg.msc .step.failing .box{fill:#ffcdd2;stroke:#c62828}
svg.msc .num{text-anchor:end;fill:#666} svg.msc .note{fill:#666}
svg.msc .wire{stroke:#2e7d32;stroke-width:1.6;fill:none}
svg.msc .in-flight .wire{stroke:#ef6c00;stroke-dasharray:6 3}
svg.msc .head{fill:#2e7d32} svg.msc .open-head{fill:none;stroke:#ef6c00;stroke-width:1.5}
svg.msc .msg{fill:#1b5e20;font-size:11px;text-anchor:middle}
svg.msc .in-flight .msg{fill:#e65100}
svg.msc .loop-box{fill:#fff8e1;stroke:#f9a825;stroke-width:2;stroke-dasharray:6 3}
svg.msc .loop-label{fill:#f57f17;font-weight:bold;font-size:11px}
svg.msc .verdict-text{fill:#c62828;font-weight:bold;font-size:13px}
a{color:inherit}
"""

SCRIPT = """
(function(){
  function select(n){
    document.querySelectorAll('.selected').forEach(function(e){e.classList.remove('selected')});
    document.querySelectorAll('[data-step="'+n+'"]').forEach(function(e){
      e.classList.add('selected')});
    var row=document.getElementById('step-'+n); if(row){row.scrollIntoView({block:'nearest'})}
    current=n;
  }
  var current=0, last=document.querySelectorAll('section.step').length;
  document.querySelectorAll('svg.msc .step').forEach(function(g){
    g.addEventListener('click',function(ev){ev.preventDefault();
      select(+g.getAttribute('data-step'))})});
  document.addEventListener('keydown',function(ev){
    if(ev.key==='ArrowDown'&&current<last){select(current+1)}
    if(ev.key==='ArrowUp'&&current>1){select(current-1)}});
})();
"""
