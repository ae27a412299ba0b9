// What will remain of the contract as the amount is typed. Whole đồng as BigInt, never a
// float; the server checks everything again when the entry is saved.
(function () {
  "use strict";

  var data = document.getElementById("ledger-figures");
  var amount = document.getElementById("id_amount");
  var output = document.getElementById("entry-preview");
  var texts = document.getElementById("preview-texts");
  if (!data || !amount || !output || !texts) {
    return;
  }
  var figures = JSON.parse(data.textContent);
  var value = BigInt(figures.value);
  var net = BigInt(figures.net);
  var advances = BigInt(figures.advances);
  var refunds = BigInt(figures.refunds);
  var cap = BigInt(figures.cap);

  function text(key) {
    var node = texts.content.querySelector('[data-key="' + key + '"]');
    return node ? node.textContent : "";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  // 1250000000n -> "1.250.000.000"; the sign in front.
  function group(number) {
    var sign = number < 0n ? "−" : "";
    var digits = (number < 0n ? -number : number).toString();
    var head = digits.length % 3 || 3;
    var parts = [digits.slice(0, head)];
    for (var i = head; i < digits.length; i += 3) {
      parts.push(digits.slice(i, i + 3));
    }
    return sign + parts.join(".");
  }

  // The same grammar as the form: "1.250.000.000", "1 250 000 000", "1250000000", with or
  // without "đồng"; null for anything else.
  function parse(raw) {
    var number = raw.trim().replace(/[\u00a0\u202f ]+/g, " ");
    number = number.replace(/\s*(đồng|đ|vnđ|vnd)\.?$/i, "").trim();
    if (/^\d+$/.test(number) || /^\d{1,3}(\.\d{3})+$/.test(number) || /^\d{1,3}( \d{3})+$/.test(number)) {
      var digits = number.replace(/[. ]/g, "").replace(/^0+(?=\d)/, "");
      return digits.length <= 18 ? BigInt(digits) : null;
    }
    return null;
  }

  function kind() {
    var checked = document.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : "payment";
  }

  function show(lines, warn) {
    output.textContent = lines.join(" ");
    output.classList.toggle("warn", warn);
  }

  function update() {
    if (!amount.value.trim()) {
      show([text("idle")], false);
      return;
    }
    var typed = parse(amount.value);
    if (typed === null || typed <= 0n) {
      show([text("invalid")], true);
      return;
    }
    var entryKind = kind();
    var after = entryKind === "refund" ? net - typed : net + typed;
    var remaining = value - after;
    var lines = [fill(text("after"), { net: group(after), remaining: group(remaining) })];
    var warn = false;
    if (entryKind === "refund" && typed > net) {
      lines.push(fill(text("refund-over"), { net: group(net) }));
      warn = true;
    } else if (remaining < 0n) {
      lines.push(fill(text("over"), { over: group(-remaining) }));
      warn = true;
    }
    if (entryKind === "advance") {
      // Advances outstanding: advanced less refunded, as the ceiling counts them.
      var advancedAfter = advances + typed - refunds;
      advancedAfter = advancedAfter < 0n ? 0n : advancedAfter;
      var key = advancedAfter > cap ? "advance-over" : "advance";
      lines.push(fill(text(key), { advanced: group(advancedAfter), cap: group(cap) }));
      warn = warn || advancedAfter > cap;
    }
    show(lines, warn);
  }

  // A second click while the first submit is on its way would only be refused by the server
  // (the voucher is unique per contract): do not send it at all.
  var form = amount.form;
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
  });
  window.addEventListener("pageshow", function () {
    delete form.dataset.sent;
  });

  amount.addEventListener("input", update);
  document.querySelectorAll('input[name="kind"]').forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
