/**
 * The "phone app" of the broker simulator: pick a waiting request by its activation code,
 * pick a specimen passport, approve or deny. Plain HTML and a little script, no build step.
 */
export function appSimulatorPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>ID Verifier app (simulator)</title>
<style>
 body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
 input,select,button{font-size:1.1rem;padding:.4rem;margin:.3rem 0;width:100%}
 button{cursor:pointer} .row{display:flex;gap:.5rem} .row button{flex:1}
 #status{margin-top:1rem;font-weight:bold} li{cursor:pointer;text-decoration:underline}
</style></head><body>
<h1>ID Verifier (simulator)</h1>
<p>Enter the activation code shown on the web page, choose a passport, and approve.</p>
<label>Activation code <input id="code" inputmode="numeric" autocomplete="off"></label>
<p>Waiting requests:</p><ul id="pending"></ul>
<label>Passport <select id="passport"></select></label>
<div class="row"><button id="approve">Approve</button><button id="deny">Cancel in app</button></div>
<div id="status" role="status"></div>
<script>
const $ = (id) => document.getElementById(id);
async function load() {
  const passports = await (await fetch('/app/api/passports')).json();
  $('passport').innerHTML = passports.map((p) => '<option value="' + p.id + '">' + p.label + '</option>').join('');
  refresh();
  setInterval(refresh, 2000);
}
async function refresh() {
  const requests = await (await fetch('/app/api/requests')).json();
  $('pending').innerHTML = requests.map((r) => '<li data-code="' + r.activationCode + '">' + r.activationCode + '</li>').join('') || '<li>none</li>';
  for (const li of document.querySelectorAll('#pending li[data-code]')) li.onclick = () => { $('code').value = li.dataset.code; };
}
async function act(action) {
  const code = $('code').value.trim();
  const response = await fetch('/app/api/requests/' + encodeURIComponent(code) + '/' + action, {
    method: 'POST', headers: {'content-type': 'application/json'},
    body: JSON.stringify({ passportId: $('passport').value }),
  });
  const body = await response.json();
  $('status').textContent = response.ok ? (action === 'approve' ? 'Passport sent.' : 'Cancelled.') : body.error;
  refresh();
}
$('approve').onclick = () => act('approve');
$('deny').onclick = () => act('deny');
load();
</script></body></html>`;
}
