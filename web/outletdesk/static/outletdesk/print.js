// A receipt opened to print (?print=80 or ?print=a5): the print dialog opens once the page is drawn.
window.addEventListener("load", () => window.print());
