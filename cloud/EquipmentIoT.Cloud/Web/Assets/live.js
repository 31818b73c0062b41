// Live fragments of the web UI (the only script; no library). An element with data-live="URL" is re-read from that URL every
// data-live-seconds while the tab is visible, and its content replaced by the HTML fragment the server renders. The requests
// carry X-Eqiot-Live, so they do not extend the session: a tablet left open still signs out after its idle timeout, and then the
// page reloads into the sign-in form. A failed read marks the fragment stale (dimmed) until the next one succeeds.
(function () {
  'use strict';
  function follow(element) {
    var url = element.getAttribute('data-live');
    var seconds = Math.max(1, parseInt(element.getAttribute('data-live-seconds') || '10', 10));
    function read() {
      if (document.hidden) return;
      fetch(url, { credentials: 'same-origin', redirect: 'manual', headers: { 'X-Eqiot-Live': '1' } })
        .then(function (response) {
          if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) {
            window.location.reload();
            return null;
          }
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          element.innerHTML = html;
          element.removeAttribute('data-stale');
        })
        .catch(function () { element.setAttribute('data-stale', 'true'); });
    }
    window.setInterval(read, seconds * 1000);
  }
  document.querySelectorAll('[data-live]').forEach(follow);
})();
