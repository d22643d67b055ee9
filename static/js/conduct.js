// Conduct inspections (kiểm tra công vụ): the tablet entry page.
//
// Each tick is a small form that htmx posts as soon as it changes (the draft is
// saved as the inspector goes). Every change is also written to localStorage
// first; it leaves it only when the server has answered. A tick that could not
// be sent (the connection dropped in the corridor) stays there, is shown as
// "not sent", and is resent when the connection returns, every few seconds, or
// on the next visit. The server keeps the newest tick by its client time stamp,
// so a late resend never overwrites a newer tick. Without JavaScript the same
// forms post normally with their "Lưu" button.
(function () {
  "use strict";
  var KEY = "motcua.conduct.pending.v1";
  var RETRY_MS = 5000;
  var sending = false;
  document.documentElement.classList.add("js");

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function texts() {
    var root = document.querySelector("[data-inspection][data-pending-text]");
    return {
      pending: root ? root.getAttribute("data-pending-text") : "",
      saving: root ? root.getAttribute("data-saving-text") : "",
      banner: root ? root.getAttribute("data-banner-text") : ""
    };
  }

  function showBanner(queue) {
    var banner = document.querySelector("[data-pending-banner]");
    if (!banner) {
      return;
    }
    var count = Object.keys(queue).length;
    banner.hidden = count === 0;
    banner.textContent = count ? texts().banner.replace("%(count)s", String(count)) : "";
  }

  function store(queue) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(queue));
    } catch (error) {
      // Storage full or disabled: the tick is still sent, just not kept offline.
    }
    showBanner(queue);
  }

  function value(form, name) {
    var el = form.querySelector('[name="' + name + '"]');
    return el ? el.value : "";
  }

  function keyOf(form) {
    return form.getAttribute("action") + "|" + value(form, "item") + "|" + value(form, "target");
  }

  function snapshot(form) {
    var data = {};
    new FormData(form).forEach(function (v, k) {
      data[k] = v;
    });
    return { url: form.getAttribute("action"), data: data, stamp: Number(data.stamp || 0) };
  }

  function status(form, text, pending) {
    var el = form.querySelector("[data-tick-status]");
    if (el) {
      el.textContent = text;
    }
    form.classList.toggle("tick--pending", Boolean(pending));
  }

  function formFor(key) {
    var forms = document.querySelectorAll("form[data-tick]");
    for (var i = 0; i < forms.length; i += 1) {
      if (keyOf(forms[i]) === key) {
        return forms[i];
      }
    }
    return null;
  }

  // A change: stamp it with the client's clock, keep it, then htmx sends it.
  document.addEventListener("change", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form[data-tick]") : null;
    if (!form) {
      return;
    }
    var stamp = form.querySelector("[data-stamp]");
    if (stamp) {
      stamp.value = String(Date.now());
    }
    var queue = load();
    queue[keyOf(form)] = snapshot(form);
    store(queue);
    status(form, texts().saving, false);
    var chosen = form.querySelector('input[name="outcome"]:checked');
    ["met", "not_met", "na"].forEach(function (outcome) {
      form.classList.toggle("tick--" + outcome, Boolean(chosen) && chosen.value === outcome);
    });
  }, true);

  // Saved (the server answers with the tick's new partial): forget the copy,
  // unless a newer change of the same tick is waiting.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-tick]")) {
      return;
    }
    var status_ = event.detail.xhr ? event.detail.xhr.status : 0;
    var key = keyOf(form);
    var queue = load();
    var sent = Number(value(form, "stamp") || 0);
    if (status_ >= 500) {
      event.detail.shouldSwap = false;
      status(form, texts().pending, true);
      return;
    }
    if (queue[key] && queue[key].stamp <= sent) {
      delete queue[key];
      store(queue);
    }
    form.classList.remove("tick--pending");
    if (status_ >= 400) {
      // Refused (e.g. the inspection was completed meanwhile): say why, keep the form.
      event.detail.shouldSwap = false;
      var holder = document.createElement("div");
      holder.innerHTML = event.detail.xhr.responseText;
      status(form, holder.textContent.trim(), false);
      form.classList.add("tick--refused");
    }
  });

  // Not sent: the connection is down. The copy stays for the resend.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-tick]")) {
      return;
    }
    var queue = load();
    queue[keyOf(form)] = snapshot(form);
    store(queue);
    status(form, texts().pending, true);
  });

  function replace(key, html) {
    var form = formFor(key);
    var old = form ? form.querySelector("[data-tick-status]") : null;
    if (!old) {
      return;
    }
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    if (fresh && fresh.matches && fresh.matches("[data-tick-status]")) {
      old.replaceWith(fresh);
    }
    form.classList.remove("tick--pending");
  }

  function sendOne(key, entry) {
    var body = new FormData();
    Object.keys(entry.data).forEach(function (name) {
      body.append(name, entry.data[name]);
    });
    return fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": entry.data.csrfmiddlewaretoken || "" }
    }).then(function (response) {
      if (response.status >= 500) {
        throw new Error("server error " + response.status);
      }
      return response.text().then(function (html) {
        var queue = load();
        if (queue[key] && queue[key].stamp === entry.stamp) {
          delete queue[key];
          store(queue);
        }
        if (response.ok) {
          replace(key, html);
        } else {
          var form = formFor(key);
          if (form) {
            var holder = document.createElement("div");
            holder.innerHTML = html;
            status(form, holder.textContent.trim(), false);
          }
        }
      });
    });
  }

  function resend() {
    var queue = load();
    var keys = Object.keys(queue);
    if (sending || !keys.length || navigator.onLine === false) {
      return;
    }
    sending = true;
    var chain = Promise.resolve();
    keys.forEach(function (key) {
      chain = chain.then(function () {
        var entry = load()[key];
        return entry ? sendOne(key, entry) : null;
      });
    });
    chain.catch(function () {
      // Still offline: everything not sent stays queued for the next try.
    }).then(function () {
      sending = false;
      showBanner(load());
    });
  }

  // Ticks left from an earlier visit: show them as chosen and not yet sent.
  function restore() {
    var queue = load();
    Object.keys(queue).forEach(function (key) {
      var form = formFor(key);
      if (!form) {
        return;
      }
      var data = queue[key].data;
      form.querySelectorAll('input[name="outcome"]').forEach(function (radio) {
        radio.checked = radio.value === data.outcome;
      });
      var note = form.querySelector('[name="note"]');
      if (note) {
        note.value = data.note || "";
      }
      var stamp = form.querySelector("[data-stamp]");
      if (stamp) {
        stamp.value = String(queue[key].stamp);
      }
      status(form, texts().pending, true);
    });
    showBanner(queue);
    resend();
  }

  window.addEventListener("online", resend);
  window.setInterval(resend, RETRY_MS);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
