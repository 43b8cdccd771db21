"use strict";
// Log in with a JSON post carrying the double-submit CSRF token in a header.
document.getElementById("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const err = document.getElementById("login-error");
  err.textContent = "";
  const resp = await fetch("/api/login", {
    method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
    body: JSON.stringify({name: document.getElementById("name").value,
                          password: document.getElementById("password").value}),
  });
  if (resp.ok) { window.location.href = "/"; return; }
  let msg = "log-in failed";
  try { msg = (await resp.json()).detail || msg; } catch (e) { /* not JSON */ }
  err.textContent = msg;
});
