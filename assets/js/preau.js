// Préau : améliorations facultatives. Chaque page fonctionne sans ce script.
(function () {
  "use strict";
  // Demande une confirmation avant les actions marquées data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || form.querySelector("[data-confirm]");
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Dans le choix de l'enseignant d'une classe, n'affiche les champs de nom que si
  // « un autre enseignant » est choisi.
  var teacher = document.getElementById("f-teacher");
  if (teacher) {
    var fields = ["f-teacher_first_name", "f-teacher_last_name"].map(function (id) {
      var input = document.getElementById(id);
      return input && input.closest(".field");
    });
    var sync = function () {
      fields.forEach(function (f) { if (f) { f.hidden = teacher.value !== "other"; } });
    };
    teacher.addEventListener("change", sync);
    sync();
  }
})();

// Force d'un nouveau mot de passe, pendant la saisie (la règle est vérifiée par le serveur).
(function () {
  "use strict";
  function verdict(value) {
    var words = value.split(/[\s-]+/).filter(function (w) { return w.length >= 3; }).length;
    if (words >= 4 && value.length >= 20) { return "Force : phrase de passe, forte"; }
    if (value.length < 12) { return "Force : trop court (" + value.length + " / 12 caractères)"; }
    var kinds = [/[a-zà-ÿ]/, /[A-ZÀ-Ý]/, /[0-9]/, /[^A-Za-zÀ-ÿ0-9]/].filter(function (r) { return r.test(value); }).length;
    if (kinds < 3) { return "Force : ajoutez une autre sorte de caractères (majuscule, chiffre ou symbole)"; }
    return value.length >= 16 ? "Force : fort" : "Force : correct";
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-strength]"), function (input) {
    var out = input.parentNode.querySelector(".strength");
    if (!out) { return; }
    input.addEventListener("input", function () { out.textContent = input.value ? verdict(input.value) : ""; });
  });
})();

// Listes de destinataires : une case de filtre au-dessus des longues listes (data-filter).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("select[data-filter]"), function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "filter-box";
    box.setAttribute("aria-label", select.getAttribute("data-filter") + " : " + (select.labels && select.labels[0] ? select.labels[0].textContent : ""));
    box.placeholder = select.getAttribute("data-filter") + "…";
    select.parentNode.insertBefore(box, select);
    var fold = function (t) { return t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    box.addEventListener("input", function () {
      var q = fold(box.value);
      Array.prototype.forEach.call(select.options, function (o) {
        o.hidden = q !== "" && !o.selected && fold(o.textContent).indexOf(q) === -1;
      });
    });
  });
})();

// Médiathèque : s'enregistrer dans le navigateur (MediaRecorder). Sans ce script ou sans
// micro, le champ « enregistrer un son avec l'appareil » reste disponible.
(function () {
  "use strict";
  if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  Array.prototype.forEach.call(document.querySelectorAll(".recorder[data-upload], .recorder[data-attach-to]"), setup);
  function setup(box) {
  box.hidden = false;
  var start = box.querySelector("[data-rec=start]");
  var stop = box.querySelector("[data-rec=stop]");
  var save = box.querySelector("[data-rec=save]");
  var status = box.querySelector(".rec-status");
  var player = box.querySelector("audio");
  var recorder = null, chunks = [], recorded = null;
  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = function (e) { if (e.data.size) { chunks.push(e.data); } };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        recorded = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
        player.src = URL.createObjectURL(recorded);
        player.hidden = false;
        save.disabled = false;
        status.textContent = "Écoute ton enregistrement, puis garde-le ou recommence.";
      };
      recorder.start();
      start.disabled = true; stop.disabled = false; save.disabled = true;
      status.textContent = "Enregistrement en cours…";
    }).catch(function () {
      status.textContent = "Le micro n'est pas disponible : utilisez le champ « enregistrer un son avec l'appareil ».";
    });
  });
  stop.addEventListener("click", function () {
    if (recorder && recorder.state !== "inactive") { recorder.stop(); }
    start.disabled = false; stop.disabled = true;
  });
  save.addEventListener("click", function () {
    if (!recorded) { return; }
    var type = recorded.type.indexOf("mp4") >= 0 ? "m4a" : (recorded.type.indexOf("ogg") >= 0 ? "ogg" : "webm");
    var now = new Date();
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var stamp = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate()) + " " + two(now.getHours()) + "h" + two(now.getMinutes());
    var file = new File([recorded], (box.getAttribute("data-rec-name") || "enregistrement") + " " + stamp + "." + type, { type: recorded.type || "audio/webm" });
    var target = box.getAttribute("data-attach-to");
    if (target) {
      // Joins the form's file field: sent with the rest of the form, nothing typed is lost.
      var input = document.querySelector(target);
      var all = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { all.items.add(f); });
      all.items.add(file);
      input.files = all.files;
      save.disabled = true;
      status.textContent = "Enregistrement ajouté : il partira avec le formulaire.";
      return;
    }
    var data = new FormData();
    data.append("files", file);
    save.disabled = true;
    status.textContent = "Envoi…";
    // The answer is a redirection to this page, with its message: reload to show it.
    fetch(box.getAttribute("data-upload"), { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
      .then(function (r) { if (r.ok || r.type === "opaqueredirect") { window.location.reload(); } else { throw new Error(); } })
      .catch(function () { status.textContent = "L'envoi a échoué : réessayez."; save.disabled = false; });
  });
  }
})();

// Listes de cases à cocher longues (choix dans la médiathèque) : une case de filtre.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-list]"), function (list) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "filter-box";
    box.setAttribute("aria-label", list.getAttribute("data-filter-list"));
    box.placeholder = list.getAttribute("data-filter-list") + "…";
    list.parentNode.insertBefore(box, list);
    var fold = function (t) { return t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    box.addEventListener("input", function () {
      var q = fold(box.value);
      Array.prototype.forEach.call(list.children, function (c) {
        var input = c.querySelector("input");
        c.hidden = q !== "" && !(input && input.checked) && fold(c.textContent).indexOf(q) === -1;
      });
    });
  });
})();

// « Écouter » (ui/listen.rs) : lit à voix haute le texte nommé par data-ecouter (un ou
// plusieurs id, séparés par des espaces) avec une voix française de l'appareil, en
// surlignant le mot lu ; data-ecouter-audio fait entendre l'enregistrement de
// l'enseignant à la place. Les boutons restent cachés tant qu'il n'y a rien pour lire.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-ecouter]");
  if (!buttons.length) { return; }
  var synth = window.speechSynthesis;
  var canSpeak = !!(synth && typeof synth.speak === "function" && window.SpeechSynthesisUtterance);
  var voice = null;
  // The reading under way: its button and how to stop it. One at a time.
  var current = null;

  // A French voice, the device's own first (it works offline), fr-FR before the others.
  function frenchVoice() {
    if (!canSpeak || typeof synth.getVoices !== "function") { return null; }
    var french = Array.prototype.filter.call(synth.getVoices() || [], function (v) {
      return (v.lang || "").toLowerCase().indexOf("fr") === 0;
    });
    var rank = function (v) {
      return (v.localService ? 0 : 2) + ((v.lang || "").replace("_", "-").toLowerCase() === "fr-fr" ? 0 : 1);
    };
    french.sort(function (a, b) { return rank(a) - rank(b); });
    return french[0] || null;
  }

  function refresh() {
    voice = frenchVoice();
    Array.prototype.forEach.call(buttons, function (b) {
      b.hidden = !(voice || b.hasAttribute("data-ecouter-audio"));
    });
  }

  function show(button, reading) {
    button.setAttribute("aria-pressed", reading ? "true" : "false");
    var label = button.lastChild;
    if (label && label.nodeType === 3) { label.data = reading ? "Arrêter" : "Écouter"; }
  }

  function clearHighlight() {
    if (window.CSS && CSS.highlights) { CSS.highlights.delete("ecoute"); }
  }

  function finish(reading) {
    if (current !== reading) { return; }
    current = null;
    clearHighlight();
    show(reading.button, false);
  }

  function stop() {
    var reading = current;
    if (!reading) { return; }
    finish(reading);
    reading.stop();
  }

  // The text of the elements, as one reads it on the screen (spaces folded, a pause
  // between blocks), with the text node and offset of each of its characters, so that a
  // word being spoken can be found back on the page.
  function textOf(ids) {
    var text = "", nodes = [], offsets = [], pause = false;
    function push(c, node, offset) { text += c; nodes.push(node); offsets.push(offset); }
    function add(node) {
      for (var i = 0; i < node.data.length; i++) {
        var c = node.data.charAt(i);
        if (/\s/.test(c)) {
          if (text && !/\s$/.test(text)) { push(" ", node, i); }
          continue;
        }
        if (pause && text) {
          text = text.replace(/\s+$/, "");
          nodes.length = offsets.length = text.length;
          if (!/[.!?:;…»]$/.test(text)) { push(".", null, 0); }
          push(" ", null, 0);
        }
        pause = false;
        push(c, node, i);
      }
    }
    function walk(el) {
      for (var n = el.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) { add(n); continue; }
        if (n.nodeType !== 1) { continue; }
        if (n.tagName === "BR") { pause = true; continue; }
        if (/^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|BUTTON|SELECT|AUDIO|VIDEO)$/.test(n.tagName) ||
            n.hidden || n.getAttribute("aria-hidden") === "true") { continue; }
        var style = window.getComputedStyle(n);
        if (style.display === "none" || style.visibility === "hidden") { continue; }
        var block = style.display.indexOf("inline") !== 0 && style.display !== "contents";
        if (block) { pause = true; }
        walk(n);
        if (block) { pause = true; }
      }
    }
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { pause = true; walk(el); }
    });
    text = text.replace(/\s+$/, "");
    nodes.length = offsets.length = text.length;
    return { text: text, nodes: nodes, offsets: offsets };
  }

  // Highlights the characters [start, start + length) of the text read, where the
  // browser has the CSS Custom Highlight API (elsewhere the reading goes on unmarked).
  function highlight(read, start, length) {
    if (!window.CSS || !CSS.highlights || typeof window.Highlight !== "function") { return; }
    if (!length) {
      var word = /^[^\s.,;:!?«»()]+/.exec(read.text.slice(start));
      length = word ? word[0].length : 1;
    }
    var first = -1, last = -1;
    for (var i = start; i < Math.min(start + length, read.text.length); i++) {
      if (read.nodes[i]) { if (first < 0) { first = i; } last = i; }
    }
    if (first < 0) { return; }
    var range = document.createRange();
    range.setStart(read.nodes[first], read.offsets[first]);
    range.setEnd(read.nodes[last], read.offsets[last] + 1);
    CSS.highlights.set("ecoute", new window.Highlight(range));
  }

  function speak(button) {
    var read = textOf((button.getAttribute("data-ecouter") || "").split(/\s+/).filter(Boolean));
    if (!read.text || !voice) { return; }
    var utterance = new window.SpeechSynthesisUtterance(read.text);
    utterance.lang = "fr-FR";
    utterance.voice = voice;
    var reading = { button: button, stop: function () { synth.cancel(); } };
    utterance.addEventListener("boundary", function (e) {
      if (current === reading && (!e.name || e.name === "word")) { highlight(read, e.charIndex, e.charLength); }
    });
    utterance.addEventListener("end", function () { finish(reading); });
    utterance.addEventListener("error", function () { finish(reading); });
    current = reading;
    show(button, true);
    synth.cancel();
    synth.speak(utterance);
  }

  // The teacher's recording; if it cannot be played, the voice reads the text instead.
  function play(button) {
    var audio = new window.Audio(button.getAttribute("data-ecouter-audio"));
    var reading = { button: button, stop: function () { audio.pause(); } };
    var failed = function () {
      if (current !== reading) { return; }
      finish(reading);
      speak(button);
    };
    audio.addEventListener("ended", function () { finish(reading); });
    audio.addEventListener("error", failed);
    current = reading;
    show(button, true);
    var started = audio.play();
    if (started && typeof started.catch === "function") { started.catch(failed); }
  }

  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      var again = current && current.button === button;
      stop();
      if (again) { return; }
      if (button.hasAttribute("data-ecouter-audio")) { play(button); } else { speak(button); }
    });
  });
  window.addEventListener("pagehide", stop);
  refresh();
  if (canSpeak && typeof synth.addEventListener === "function") { synth.addEventListener("voiceschanged", refresh); }
})();

// Application installable : le service worker (/sw.js) garde de quoi relire quelques pages
// hors ligne. Sans lui (navigateur ancien, connexion non sécurisée), rien ne change.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
})();

// Livret scolaire : la grille de la classe s'enregistre au fil de la saisie (data-autosave).
// Sans ce script, le bouton « Enregistrer » envoie le même formulaire ; un champ refusé
// n'est jamais perdu : le serveur renvoie la page avec la raison à côté du champ.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), function (form) {
    var status = form.querySelector(".autosave-status");
    var timer = null;
    var save = function () {
      timer = null;
      if (status) { status.textContent = "Enregistrement…"; }
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
        redirect: "follow"
      }).then(function (response) {
        if (!status) { return; }
        if (response.ok) {
          var now = new Date();
          status.textContent = "Enregistré à " + now.getHours() + " h " + String(now.getMinutes()).padStart(2, "0") + ".";
        } else {
          status.textContent = "Un champ est refusé : cliquez sur « Enregistrer » pour voir lequel (rien de ce que vous avez tapé n'est perdu).";
        }
      }).catch(function () {
        if (status) { status.textContent = "Pas de connexion : cliquez sur « Enregistrer » quand le réseau revient."; }
      });
    };
    form.addEventListener("change", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 800);
    });
  });
})();

// Notifications sur cet appareil (/compte/notifications-push) : le bouton n'apparaît que
// si le navigateur sait s'abonner ; il demande la permission, s'abonne avec la clé VAPID
// de l'école et envoie l'abonnement par le formulaire (jeton CSRF compris).
(function () {
  "use strict";
  var form = document.getElementById("push-abonnement");
  var status = document.getElementById("push-etat");
  if (!form || !status) { return; }
  var supported = window.isSecureContext && "serviceWorker" in navigator &&
    "PushManager" in window && "Notification" in window;
  if (!supported) {
    status.textContent = "Ce navigateur ne peut pas recevoir de notifications de Préau " +
      "(sur iPhone ou iPad : ajoutez d'abord Préau à l'écran d'accueil). La cloche en haut de chaque page les garde.";
    return;
  }
  function key(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(b64 + "===".slice((b64.length + 3) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  function b64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return window.btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  status.textContent = Notification.permission === "denied"
    ? "Les notifications de Préau sont bloquées dans les réglages de ce navigateur : autorisez-les pour ce site, puis revenez ici."
    : "Cet appareil peut recevoir vos notifications.";
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("permission"); }
      return navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
        return navigator.serviceWorker.ready;
      });
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key(form.getAttribute("data-cle")),
      });
    }).then(function (subscription) {
      form.elements.endpoint.value = subscription.endpoint;
      form.elements.p256dh.value = b64url(subscription.getKey("p256dh"));
      form.elements.auth.value = b64url(subscription.getKey("auth"));
      form.submit();
    }).catch(function (error) {
      button.disabled = false;
      status.textContent = error && error.message === "permission"
        ? "Vous n'avez pas autorisé les notifications : rien n'a changé."
        : "L'abonnement a échoué (le service de notifications du navigateur ne répond pas ?). Réessayez plus tard.";
    });
  });
})();
