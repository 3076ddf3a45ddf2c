// Venia's payment list keys components by method code and imports each path once: one module
// per Klarna code, all the same component (it reads the selected code from the form).
export { default } from '../klarnaPayment';
