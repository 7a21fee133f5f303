// The resident's report form: two-step category picker, the category's questions, the place from the
// phone's position or a tap on the map, the photo list, and the anonymous switch.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("report-config").textContent);
  const t = config.strings;
  const form = document.getElementById("report-form");
  const groupSelect = document.getElementById("id_group");
  const categorySelect = document.getElementById("id_category");
  const lonInput = document.getElementById("id_lon");
  const latInput = document.getElementById("id_lat");
  const status = document.getElementById("place-status");

  // --- what: pick the group, then the problem within it ---------------------------------------
  const groupOf = {};
  config.tree.forEach(function (g) { g.items.forEach(function (i) { groupOf[String(i.id)] = String(g.id); }); });

  function fillCategories(groupId, selected) {
    const first = categorySelect.options[0].cloneNode(true);
    categorySelect.replaceChildren(first);
    config.tree.forEach(function (g) {
      if (groupId && String(g.id) !== groupId) { return; }
      const holder = groupId ? categorySelect : document.createElement("optgroup");
      if (!groupId) { holder.label = g.name; categorySelect.appendChild(holder); }
      g.items.forEach(function (item) {
        const option = document.createElement("option");
        option.value = String(item.id);
        option.textContent = item.name;
        if (String(item.id) === selected) { option.selected = true; }
        holder.appendChild(option);
      });
    });
  }

  if (groupSelect) {
    groupSelect.closest(".picker-group").hidden = false;
    const selected = categorySelect.value;
    if (selected && groupOf[selected]) { groupSelect.value = groupOf[selected]; }
    fillCategories(groupSelect.value, selected);
    groupSelect.addEventListener("change", function () {
      fillCategories(groupSelect.value, "");
      loadQuestions();
      if (groupSelect.value) { categorySelect.focus(); }
    });
  }

  function loadQuestions() {
    const holder = document.getElementById("questions");
    const id = categorySelect.value;
    if (!id) { holder.replaceChildren(); return; }
    fetch(config.questionsUrl + "?category=" + encodeURIComponent(id), { headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { holder.innerHTML = html; }); // our own server-rendered, escaped fragment
  }
  categorySelect.addEventListener("change", loadQuestions);

  // --- where: the phone's position, or a tap on the map ----------------------------------------
  const picker = window.YiwangMap.create("report-map", config.map);
  window.__reportMap = picker.map; // for tests
  function setPlace(lat, lon, message) {
    latInput.value = lat.toFixed(7);
    lonInput.value = lon.toFixed(7);
    picker.mark(lat, lon, 16);
    status.textContent = message;
    status.classList.remove("warning");
    form.dataset.placed = "true";
  }
  if (lonInput.value && latInput.value) {
    picker.ready.then(function () { picker.mark(parseFloat(latInput.value), parseFloat(lonInput.value), 16); });
  }
  picker.map.on("click", function (e) { setPlace(e.latlng.lat, e.latlng.lng, t.picked); });

  function warn(message) { status.textContent = message; status.classList.add("warning"); }
  document.getElementById("use-position").addEventListener("click", function () {
    if (!("geolocation" in navigator) || !window.isSecureContext) { warn(t.noGeolocation); return; }
    status.textContent = t.locating;
    navigator.geolocation.getCurrentPosition(
      function (pos) { setPlace(pos.coords.latitude, pos.coords.longitude, t.located); },
      function (err) { warn(t.denied.replace("%(reason)s", err.message || String(err.code))); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });

  // --- photos: show what was chosen --------------------------------------------------------------
  const photos = document.getElementById("id_photos");
  const list = document.getElementById("photo-list");
  photos.addEventListener("change", function () {
    list.replaceChildren();
    Array.from(photos.files).forEach(function (file) {
      const li = document.createElement("li");
      if (file.type.indexOf("image/") === 0 && window.URL) {
        const img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        img.width = 96; img.height = 96;
        li.appendChild(img);
      } else {
        li.textContent = file.name;
      }
      list.appendChild(li);
    });
    if (photos.files.length > config.maxPhotos) {
      const li = document.createElement("li");
      li.className = "error";
      li.textContent = t.tooManyPhotos;
      list.appendChild(li);
    }
  });

  // --- who: anonymous hides the contact fields ---------------------------------------------------
  const anonymous = document.getElementById("id_anonymous");
  const contact = document.getElementById("contact");
  function toggleContact() { contact.hidden = anonymous.checked; }
  anonymous.addEventListener("change", toggleContact);
  toggleContact();

  form.addEventListener("submit", function () {
    const button = form.querySelector("button[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  const summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
