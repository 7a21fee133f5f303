// The 12345 entry form, keyboard only: type-ahead lists (↑ ↓ Enter), the caller's earlier cases as the
// number is typed, the map as a second way to set the place, Ctrl+Enter to record.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("hotline-config").textContent);
  const t = config.strings;
  const form = document.getElementById("hotline-form");

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    });
  }

  // A combobox: the input asks `url?q=` as it changes; ↑ ↓ move, Enter (or Tab) picks, Esc closes.
  function Combobox(input, list, url, options) {
    let items = [], active = -1, lastQuery = null, pending = null, timer = null, seq = 0;

    function render() {
      list.replaceChildren();
      items.forEach(function (item, i) {
        const li = el("li", null, i === active ? "active" : "");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        options.renderItem(li, item);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (!items.length && lastQuery) { list.appendChild(el("li", options.empty, "empty")); }
      const open = !!lastQuery && document.activeElement === input;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (active >= 0) { input.setAttribute("aria-activedescendant", list.id + "-" + active); }
      else { input.removeAttribute("aria-activedescendant"); }
    }

    function search() {
      const query = input.value.trim();
      if (query === lastQuery && pending) { return pending; }
      lastQuery = query;
      if (!query) { items = []; active = -1; render(); pending = Promise.resolve(); return pending; }
      const mine = ++seq;
      pending = getJSON(url + "?q=" + encodeURIComponent(query)).then(function (data) {
        if (mine !== seq) { return; }
        items = data.items;
        active = items.length ? 0 : -1;
        render();
      }).catch(function () { items = []; active = -1; render(); });
      return pending;
    }

    function choose(i) {
      if (i < 0 || i >= items.length) { return false; }
      options.onChoose(items[i]);
      items = []; active = -1; lastQuery = null; render();
      list.hidden = true;
      return true;
    }

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); }

    input.addEventListener("input", function () {
      options.onEdit();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 150);
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!items.length) { return; }
        active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        render();
      } else if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
        e.preventDefault(); // Enter picks; it never submits half a case
        window.clearTimeout(timer);
        const query = input.value.trim();
        if (!query || options.isChosen()) { return; }
        search().then(function () { choose(active); });
      } else if (e.key === "Tab" && !e.shiftKey && !options.isChosen() && items.length && input.value.trim() === lastQuery) {
        choose(active); // Tab accepts the highlighted entry and moves on
      } else if (e.key === "Escape") {
        close();
      }
    });
  }

  // --- category ------------------------------------------------------------------------------------
  const categoryText = document.getElementById("id_category_text");
  const categoryId = document.getElementById("id_category");
  const questions = document.getElementById("questions");

  function loadQuestions(id) {
    if (!id) { questions.replaceChildren(); return; }
    fetch(config.questionsUrl + "?category=" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { questions.innerHTML = html; }); // our server's escaped fragment
  }

  Combobox(categoryText, document.getElementById("category-list"), config.categoriesUrl, {
    empty: t.noCategory,
    renderItem: function (li, item) {
      li.appendChild(el("span", item.group ? item.group + " / " : "", "group"));
      li.appendChild(el("strong", item.name));
      if (item.name_en) { li.appendChild(el("span", " " + item.name_en, "en")); }
      li.dataset.id = String(item.id);
    },
    onChoose: function (item) {
      categoryId.value = String(item.id);
      categoryText.value = item.label;
      categoryText.dataset.chosen = item.label;
      loadQuestions(item.id);
    },
    onEdit: function () {
      if (categoryText.dataset.chosen !== categoryText.value) { categoryId.value = ""; delete categoryText.dataset.chosen; }
    },
    isChosen: function () { return !!categoryId.value && categoryText.dataset.chosen === categoryText.value; },
  });
  if (categoryId.value && categoryText.value) { categoryText.dataset.chosen = categoryText.value; }

  // --- place ---------------------------------------------------------------------------------------
  const address = document.getElementById("id_address");
  const lon = document.getElementById("id_lon");
  const lat = document.getElementById("id_lat");
  const where = document.getElementById("place-where");
  const picker = window.YiwangMap.create("hotline-map", config.map, { keyboard: false });
  picker.map.getContainer().tabIndex = -1; // the map is for the mouse; the keyboard uses the place list
  window.__hotlineMap = picker.map;

  function setPoint(latitude, longitude, label) {
    lat.value = Number(latitude).toFixed(7);
    lon.value = Number(longitude).toFixed(7);
    picker.mark(latitude, longitude, 15);
    where.textContent = label;
    form.dataset.placed = "true";
  }
  if (lon.value && lat.value) { // the form came back with errors: the place was already chosen
    address.dataset.chosen = address.value;
    where.textContent = address.value;
    picker.ready.then(function () { picker.mark(parseFloat(lat.value), parseFloat(lon.value), 15); });
  }

  Combobox(address, document.getElementById("place-list"), config.placesUrl, {
    empty: t.noPlace,
    renderItem: function (li, item) {
      li.appendChild(el("strong", item.name));
      li.appendChild(el("span", " · " + item.kind_label, "kind"));
      if (item.where) { li.appendChild(el("span", " · " + item.where, "where")); }
      li.dataset.code = item.code;
    },
    onChoose: function (item) {
      if (address.value.indexOf(item.name) < 0) { address.value = item.name; }
      address.dataset.chosen = item.name;
      setPoint(item.lat, item.lon, item.name + (item.where ? " · " + item.where : ""));
    },
    onEdit: function () {
      const chosen = address.dataset.chosen;
      if (chosen && address.value.indexOf(chosen) < 0) {
        delete address.dataset.chosen; lon.value = ""; lat.value = ""; where.textContent = ""; delete form.dataset.placed;
      }
    },
    isChosen: function () { return !!address.dataset.chosen && !!lon.value && address.value.indexOf(address.dataset.chosen) >= 0; },
  });

  picker.map.on("click", function (e) {
    const la = e.latlng.lat, lo = e.latlng.lng;
    address.dataset.chosen = address.value; // keep the typed address; the point comes from the map
    setPoint(la, lo, t.mapPoint);
    getJSON(config.locateUrl + "?lon=" + lo.toFixed(7) + "&lat=" + la.toFixed(7)).then(function (answer) {
      if (answer.outside) { where.textContent = t.outside; return; }
      where.textContent = t.mapPoint + " · " + answer.chain.slice(1).map(function (u) { return u.name; }).join(" · ");
    }).catch(function () {});
  });

  // --- the caller's earlier cases --------------------------------------------------------------------
  const phone = document.getElementById("id_phone");
  const name = document.getElementById("id_name");
  const list = document.getElementById("caller-cases");
  const help = document.getElementById("caller-help");
  let phoneTimer = null, phoneSeq = 0;
  function showCaller() {
    const mine = ++phoneSeq;
    getJSON(config.callerUrl + "?phone=" + encodeURIComponent(phone.value)).then(function (data) {
      if (mine !== phoneSeq) { return; }
      list.replaceChildren();
      if (!data.complete) { list.dataset.phone = ""; return; }
      help.textContent = data.items.length ? t.earlier : t.noCases;
      data.items.forEach(function (item) {
        const li = el("li", null, "caller-case");
        const head = el("div", null, "head");
        const link = el("a", item.code, "code");
        link.href = config.trackUrl + "?code=" + encodeURIComponent(item.code);
        link.tabIndex = -1;
        head.append(link, el("span", " " + item.reported + " · " + item.category + " · " + item.status_words));
        li.append(head, el("div", item.address, "addr"), el("div", item.description, "desc"));
        li.appendChild(el("div", item.name + (item.phone ? " · " + item.phone : ""), item.masked ? "who masked" : "who"));
        list.appendChild(li);
      });
      if (data.items.length && name && !name.value && data.items[0].name && !data.items[0].masked) {
        name.value = data.items[0].name; // the caller's name as given last time (the operator can change it)
      }
      list.dataset.phone = data.phone;
    }).catch(function () {});
  }
  phone.addEventListener("input", function () { window.clearTimeout(phoneTimer); phoneTimer = window.setTimeout(showCaller, 200); });
  if (phone.value) { showCaller(); }

  // --- keys: Enter never submits from a one-line field; Ctrl+Enter records the case -------------------
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (form.dataset.sending) { return; }
      form.dataset.sending = "true";
      form.requestSubmit();
      return;
    }
    if (e.key === "Enter" && e.target.tagName === "INPUT" && e.target.type !== "submit") { e.preventDefault(); }
  });
  form.addEventListener("submit", function () { form.dataset.sending = "true"; });
  const summary = document.getElementById("error-summary");
  if (summary) {
    const first = form.querySelector("[aria-invalid=true]");
    (first || summary).focus();
  }
})();
