"""The explorer's one page: the report's style, a script that fetches `/api/view` and posts
the user's clicks.  No build step, no network beyond the explorer's own address.

Element ids and classes (`#moves button.move` with `data-action` and `data-label`,
`#invariants li`, `#violation`, `#depth`, `#in-flight`, `#back`, `#reset`, `#follow`,
`#counterexample`) are the contract with the browser tests.
"""

from __future__ import annotations

from numaspec.report.assets import CSS

_EXTRA_CSS = """
button{font:inherit;margin:2px;padding:3px 8px;border:1px solid #8796a8;border-radius:4px;
background:#fff;cursor:pointer}
button.move{display:block;width:100%;text-align:left}
button.move.planned{background:#fff59d;border-color:#f57f17}
button.move:disabled{color:#c62828;cursor:not-allowed}
#invariants li.false{color:#c62828;font-weight:bold} #invariants li.true{color:#166534}
#violation{display:none} #violation.shown{display:block}
.small{font-size:12px;color:#555}
"""

_SCRIPT = """
(function(){
  function $(id){return document.getElementById(id)}
  function esc(s){return String(s).replace(/[&<>"]/g,function(c){
    return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]})}
  function show(v){
    $('chart').innerHTML=v.chart;
    $('depth').textContent=v.depth; $('in-flight').textContent=v.in_flight;
    var viol=$('violation');
    if(v.violation){viol.className='violated shown';$('violation-text').textContent=v.violation}
    else{viol.className=''}
    $('moves').innerHTML=v.moves.map(function(m){
      var where=m.node===null?'':' on node '+m.node;
      var title=m.fails?('fails: '+m.fails):m.changes.join('\\n');
      return '<button class="move'+(m.planned?' planned':'')+'" data-index="'+m.index+
        '" data-action="'+esc(m.action)+'" data-label="'+esc(m.label)+'" title="'+
        esc(title)+'"'+(m.fails?' disabled':'')+
        '>'+esc(m.label)+where+(m.fails?' — fails: '+esc(m.fails):'')+'</button>'}).join('')
      ||'<p>no action is enabled</p>';
    $('invariants').innerHTML=v.invariants.map(function(i){
      return '<li class="invariant '+(i.holds?'true':'false')+'" data-name="'+esc(i.name)+
        '" data-holds="'+i.holds+'">'+(i.holds?'✓ ':'✗ ')+esc(i.name)+'</li>'}).join('');
    $('state').innerHTML=v.state.map(function(s){return '<tr><td class="k">'+esc(s.name)+
      '</td><td class="v">'+esc(s.value)+'</td></tr>'}).join('');
    $('plan').textContent=v.plan?('counterexample loaded ('+v.plan.steps+' steps): '+
      v.plan.message+(v.plan.done?' — its last state':(v.plan.next===null?
      ' — not on its path here':''))):'';
    $('follow').disabled=!(v.plan&&v.plan.next!==null);
    $('initial').innerHTML=Array.from({length:v.initials},function(_,i){
      return '<option value="'+i+'">initial state '+i+'</option>'}).join('');
    document.body.setAttribute('data-depth',v.depth);
  }
  function call(path,body){
    return fetch(path,{method:'POST',headers:{'Content-Type':'application/json'},
      body:JSON.stringify(body||{})}).then(function(r){return r.json()}).then(function(v){
        if(v.error){$('error').textContent=v.error}else{$('error').textContent='';show(v)}})}
  $('moves').addEventListener('click',function(ev){
    var b=ev.target.closest('button.move'); if(b&&!b.disabled){
      call('/api/step',{index:+b.getAttribute('data-index')})}});
  $('back').onclick=function(){call('/api/back')};
  $('reset').onclick=function(){call('/api/reset',{initial:+$('initial').value||0})};
  $('follow').onclick=function(){call('/api/follow')};
  $('counterexample').onclick=function(){call('/api/counterexample')};
  fetch('/api/view').then(function(r){return r.json()}).then(show);
})();
"""

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>numaspec explore</title>
<style>{CSS}{_EXTRA_CSS}</style></head><body>
<header><h1>numaspec explore</h1><p>depth <span id="depth">0</span>,
<span id="in-flight">0</span> message(s) in flight</p></header>
<main><div class="chart" id="chart"></div><div class="side">
<section id="violation"><h2>violation</h2><p id="violation-text"></p></section>
<section><h2>path</h2><button id="back">← back</button>
<select id="initial"></select><button id="reset">restart</button>
<button id="counterexample">load a counterexample</button>
<button id="follow" disabled>follow it →</button>
<p id="plan" class="small"></p><p id="error" class="small"></p></section>
<section><h2>enabled actions</h2><div id="moves"></div></section>
<section><h2>invariants</h2><ul id="invariants"></ul></section>
<section><h2>state</h2><table class="state" id="state"></table></section>
</div></main><script>{_SCRIPT}</script></body></html>
"""
