// Google Fonts answers for building Saleor's storefront offline (see docs/saleor-storefront.md).
//
// next/font/google fetches the CSS of every font it is asked for at build time; with
// NEXT_FONT_GOOGLE_MOCKED_RESPONSES pointing at this module it reads the CSS from here instead.
// The storefront asks for one font, Fraunces (its editorial display face, src/lib/fonts.ts), as a
// variable font with display "swap". The @font-face below names fonts installed on the reader's machine
// (src: local(...)), so the build downloads no font file and the page falls back to a local serif.
// Keys are exact URLs: a storefront that asks for another font or other axes fails the build with
// "Missing mocked response for URL: ..."; add that URL here.
"use strict";

const fraunces = `/* latin */
@font-face {
  font-family: 'Fraunces';
  font-style: normal;
  font-weight: 100 900;
  font-display: swap;
  src: local('Fraunces'), local('DejaVu Serif'), local('Georgia');
}
`;

module.exports = {
	"https://fonts.googleapis.com/css2?family=Fraunces:wght@100..900&display=swap": fraunces,
};
