// Worker dashboard: live refresh of [data-refresh] parts and confirmation of [data-confirm] buttons.
// Served from the jar under a CSP that forbids inline scripts; no dependency, works offline.
(function () {
  'use strict';
  var INTERVAL_MS = 3000;

  function busy(part) {
    // a refresh must not drop the operator's selection or what they are typing
    return part.querySelector('input[type=checkbox]:checked') !== null || part.contains(document.activeElement);
  }

  function refresh(part) {
    if (document.hidden || busy(part)) {
      return;
    }
    fetch(part.getAttribute('data-refresh'), { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && !busy(part)) {
          part.innerHTML = html;
          part.setAttribute('data-refreshed', String(Date.now()));
        }
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ });
  }

  document.addEventListener('submit', function (event) {
    var button = event.submitter || event.target.querySelector('[data-confirm]');
    var question = button && button.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-refresh]').forEach(function (part) {
      window.setInterval(function () { refresh(part); }, INTERVAL_MS);
    });
  });
})();
