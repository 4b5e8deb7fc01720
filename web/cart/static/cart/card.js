// Pay by card with Stripe.js. With Stripe's own Stripe.js the Payment Element takes the card and
// stripe.confirmPayment() confirms the payment in the browser; the form then posts back and the server
// reads the payment's state and places the order. localstripe's stand-in Stripe.js (the demo, the tests)
// has no Payment Element and no confirmPayment: it offers a card element and createToken, so the page
// posts the card's id and the server confirms the payment with it.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  var box = document.getElementById("payment-element");
  var message = document.getElementById("card-message");
  var button = document.getElementById("card-submit");
  if (!form || !box) return;
  if (typeof window.Stripe !== "function" || !box.dataset.clientSecret) {
    document.getElementById("card-unavailable").hidden = false;
    button.disabled = true;
    return;
  }
  var stripe = window.Stripe(box.dataset.publishableKey);
  var paymentElement = typeof stripe.confirmPayment === "function";
  var elements, element;
  if (paymentElement) {
    elements = stripe.elements({ clientSecret: box.dataset.clientSecret, locale: document.documentElement.lang });
    element = elements.create("payment");
  } else {
    elements = stripe.elements();
    element = elements.create("card");
  }
  element.mount(box);
  var confirmed = false;

  function fail(error) {
    message.textContent = (error && error.message) || String(error);
    button.disabled = false;
  }

  form.addEventListener("submit", function (event) {
    if (confirmed) return;
    event.preventDefault();
    button.disabled = true;
    message.textContent = "";
    var done = function () {
      confirmed = true;
      form.submit();
    };
    if (paymentElement) {
      stripe
        .confirmPayment({ elements: elements, redirect: "if_required", confirmParams: { return_url: form.dataset.returnUrl } })
        .then(function (result) { return result.error ? fail(result.error) : done(); }, fail);
    } else {
      stripe.createToken(element).then(function (result) {
        if (result.error) return fail(result.error);
        form.elements.payment_method.value = result.token.card.id;
        done();
      }, fail);
    }
  });
})();
