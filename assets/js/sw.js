// Préau : le service worker de l'application installable. Servi à /sw.js par src/pwa
// (précédé de VERSION et PRECACHE) pour couvrir tout le site.
//
// Hors ligne, on relit et on n'écrit pas :
// - les pages : d'abord le réseau ; la copie d'une page n'est gardée que si le serveur
//   l'a marquée « Preau-Hors-Ligne: lisible » (src/pwa/reading.rs tient la liste), dans
//   le cache de la session qui l'a reçue (« Preau-Lecteur ») ; tout autre cache de pages
//   est effacé dès qu'une page répond pour quelqu'un d'autre ou pour personne ;
// - sans réseau, la copie est servie avec un bandeau « Hors ligne — page enregistrée
//   le … », sinon la page /hors-ligne ;
// - un formulaire envoyé sans réseau n'est jamais mis en attente : la page « Rien n'a
//   été envoyé » le dit ;
// - se déconnecter efface toutes les copies, même sans réseau.
"use strict";

var STATIC_CACHE = "preau-statique-" + VERSION;
var PAGES_PREFIX = "preau-pages-";
var OFFLINE_URL = "/hors-ligne";
var NOT_SENT_URL = "/hors-ligne?envoi=1";
var SAVED_AT = "preau-enregistre-le";
var SAVED_TITLE = "preau-titre";
// Au-delà, une école injoignable (box éteinte, réseau de l'école seulement) cède la place
// à la copie enregistrée, quand il y en a une.
var WAIT_MS = 10000;
// Les formulaires qui ouvrent ou ferment une session vont au réseau sans passer par ici,
// pour que le navigateur applique lui-même leur « Clear-Site-Data ».
var SESSION_FORMS = ["/connexion", "/deconnexion"];
var SESSION_PREFIXES = ["/tableau", "/activation", "/setup"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then(function (cache) {
        return cache.addAll(
          PRECACHE.map(function (url) {
            return new Request(url, { cache: "reload", credentials: "omit" });
          })
        );
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (n) {
              return n.indexOf("preau-statique-") === 0 && n !== STATIC_CACHE;
            })
            .map(function (n) {
              return caches.delete(n);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method !== "GET") {
    if (url.pathname === "/deconnexion") {
      event.waitUntil(Promise.all([dropPages(null), stopPush()]));
    }
    if (request.mode === "navigate" && !changesSession(url.pathname)) {
      event.respondWith(send(request));
    }
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  }
});

function changesSession(path) {
  return (
    SESSION_FORMS.indexOf(path) >= 0 ||
    SESSION_PREFIXES.some(function (p) {
      return path === p || path.indexOf(p + "/") === 0;
    })
  );
}

// Les caches de pages, sauf `keep` (null : tous).
function dropPages(keep) {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (n) {
          return n.indexOf(PAGES_PREFIX) === 0 && n !== keep;
        })
        .map(function (n) {
          return caches.delete(n);
        })
    );
  });
}

function savedCopy(url) {
  return caches.keys().then(function (names) {
    var pages = names.filter(function (n) {
      return n.indexOf(PAGES_PREFIX) === 0;
    });
    return pages.reduce(function (found, name) {
      return found.then(function (hit) {
        return (
          hit ||
          caches.open(name).then(function (c) {
            return c.match(url);
          })
        );
      });
    }, Promise.resolve(undefined));
  });
}

function withinWait(promise) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () {
      reject(new Error("délai dépassé"));
    }, WAIT_MS);
    promise.then(
      function (r) {
        clearTimeout(timer);
        resolve(r);
      },
      function (e) {
        clearTimeout(timer);
        reject(e);
      }
    );
  });
}

function navigate(event) {
  var request = event.request;
  return savedCopy(request.url).then(function (saved) {
    var network = fetch(request);
    return (saved ? withinWait(network) : network).then(
      function (response) {
        event.waitUntil(remember(request.url, response.clone()));
        return response;
      },
      function () {
        return saved ? offlineCopy(saved) : offlinePage(OFFLINE_URL);
      }
    );
  });
}

// Garde la page si le serveur le permet, dans le cache de sa session ; efface les autres.
function remember(url, response) {
  // Une redirection opaque ne dit rien : la page suivante le dira.
  var reader = response.headers.get("preau-lecteur");
  if (!reader) {
    return Promise.resolve();
  }
  if (reader === "aucun") {
    return dropPages(null);
  }
  var name = PAGES_PREFIX + reader;
  return dropPages(name).then(function () {
    if (response.status !== 200 || response.headers.get("preau-hors-ligne") !== "lisible") {
      return undefined;
    }
    return response.text().then(function (html) {
      var headers = headersFor(response);
      headers.delete("cache-control");
      headers.set(SAVED_AT, new Date().toISOString());
      var title = /<title>([^<]*)<\/title>/.exec(html);
      headers.set(SAVED_TITLE, encodeURIComponent(title ? title[1] : url));
      return caches.open(name).then(function (cache) {
        return cache.put(url, new Response(html, { status: 200, headers: headers }));
      });
    });
  });
}

// Les en-têtes d'une réponse pour un corps réécrit : sans sa longueur ni son codage.
function headersFor(response) {
  var headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  return headers;
}

function frenchDate(iso) {
  var date = new Date(iso);
  if (isNaN(date.getTime())) {
    return "";
  }
  return date.toLocaleString("fr-FR", {
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
  });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

// La copie, avec ses en-têtes (dont la CSP) et le bandeau « hors ligne » en tête du contenu.
function offlineCopy(saved) {
  return saved.text().then(function (html) {
    var banner =
      '<div class="flash info hors-ligne" role="status"><strong>Hors ligne — page enregistrée le ' +
      escapeHtml(frenchDate(saved.headers.get(SAVED_AT))) +
      ".</strong> Elle a pu changer depuis. Rien ne peut être envoyé tant que l'école n'est pas joignable.</div>";
    var marked = html.replace(/(<main\b[^>]*>)/, "$1" + banner);
    return new Response(marked, { status: 200, headers: headersFor(saved) });
  });
}

// La page hors ligne enregistrée à l'installation, avec la liste des copies gardées.
function offlinePage(which) {
  return caches
    .open(STATIC_CACHE)
    .then(function (cache) {
      return Promise.all([cache.match(which), savedList()]);
    })
    .then(function (both) {
      var page = both[0];
      if (!page) {
        return Response.error();
      }
      return page.text().then(function (html) {
        var filled = both[1]
          ? html.replace(
              /<div id="pages-enregistrees">[\s\S]*?<\/div>/,
              '<div id="pages-enregistrees">' + both[1] + "</div>"
            )
          : html;
        return new Response(filled, { status: 503, headers: headersFor(page) });
      });
    });
}

function savedList() {
  return caches.keys().then(function (names) {
    var pages = names.filter(function (n) {
      return n.indexOf(PAGES_PREFIX) === 0;
    });
    return Promise.all(
      pages.map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(
              requests.map(function (r) {
                return cache.match(r).then(function (resp) {
                  var title = decodeURIComponent(resp.headers.get(SAVED_TITLE) || "");
                  return (
                    '<li><a href="' +
                    escapeHtml(new URL(r.url).pathname + new URL(r.url).search) +
                    '">' +
                    escapeHtml(title) +
                    "</a> <span class=\"small\">(enregistrée le " +
                    escapeHtml(frenchDate(resp.headers.get(SAVED_AT))) +
                    ")</span></li>"
                  );
                });
              })
            );
          });
        });
      })
    ).then(function (lists) {
      var items = [].concat.apply([], lists);
      return items.length ? "<ul>" + items.join("") + "</ul>" : "";
    });
  });
}

// Un formulaire : au réseau, et sans réseau la page « Rien n'a été envoyé ».
function send(request) {
  return fetch(request).catch(function () {
    return offlinePage(NOT_SENT_URL);
  });
}

// Les fichiers de /static ne changent pas sous une même VERSION.
function asset(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) {
        return hit;
      }
      return fetch(request).then(function (response) {
        if (response.ok) {
          cache.put(request, response.clone());
        }
        return response;
      });
    });
  });
}

// Se déconnecter arrête aussi les notifications de cet appareil, même pour un navigateur
// qui n'applique pas « Clear-Site-Data » : le service de notifications oublie
// l'abonnement, et Préau retire l'appareil à son prochain envoi (réponse 404 ou 410).
function stopPush() {
  if (!self.registration.pushManager) {
    return Promise.resolve();
  }
  return self.registration.pushManager
    .getSubscription()
    .then(function (subscription) {
      return subscription && subscription.unsubscribe();
    })
    .catch(function () {});
}

// Notifications push (src/push) : le message ne porte que le nom de l'école, la sorte de
// la notification et la page à ouvrir ; rien n'est gardé ici.
self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = {};
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Préau", {
      body: data.body || "Du nouveau vous attend.",
      icon: PRECACHE[PRECACHE.length - 1],
      lang: "fr",
      tag: "preau",
      renotify: true,
      data: { url: data.url || "/notifications" },
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var path = (event.notification.data && event.notification.data.url) || "/notifications";
  // Une page de Préau seulement, jamais une autre adresse.
  var target = new URL(path.charAt(0) === "/" && path.charAt(1) !== "/" ? path : "/notifications", self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (new URL(windows[i].url).origin === target.origin && "navigate" in windows[i]) {
          return windows[i].focus().then(function (w) {
            return w.navigate(target.href);
          });
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
