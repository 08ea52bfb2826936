// GOV.UK Frontend's "js-enabled" marker, kept out of the page so no inline script is needed.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
