/**
 * The shape of the reference dataset ("eCommerce events history in electronics store", Kaggle),
 * which cannot be downloaded here; the generator reproduces it scaled to any row count.
 * Numbers from ARCHITECTURE.md's data contract.
 */
export const REFERENCE = {
  rows: 885_129,
  views: 793_748,
  carts: 54_035,
  purchases: 37_346,
  users: 407_283,
  products: 53_453,
  /** First and last event of the real file, UTC. */
  start: Date.UTC(2020, 8, 24, 11, 57, 6),
  end: Date.UTC(2021, 1, 28, 23, 59, 59),
  categoryCodeShare: 0.73,
  brandShare: 0.76,
  sessionShare: 0.9998,
} as const;

/**
 * Knobs of the session model, chosen so the generated mix lands on the reference's
 * 89.7% view / 6.1% cart / 4.2% purchase (checked by test/events/generate/*.test.ts).
 */
export const MODEL = {
  /** Probability that a view of a product not yet in the cart is followed by a cart. */
  cartAfterView: 0.068,
  /** Probability that a cart is followed by a purchase (reference: 37,346 / 54,035). */
  purchaseAfterCart: 0.6912,
  /**
   * Probability that a cart not purchased is followed by remove_from_cart. The reference file
   * has none; a small share keeps the 4th event type exercised downstream.
   */
  removeAfterCart: 0.05,
  /** Share of sessions that browse long (heavy tail), and their mean extra views. */
  browsingShare: 0.1,
  browsingExtraViews: 5,
  /** Mean extra views of an ordinary session (one view is always there). */
  casualExtraViews: 0.12,
  /** Probability that a further view revisits a product already seen in the session. */
  revisit: 0.3,
  /** Zipf exponent of product popularity: the top product gets ≈1% of the views. */
  productZipf: 0.75,
  /** Products per category and the Zipf exponent of brand popularity. */
  productsPerCategory: 80,
  brandZipf: 1.0,
  /** Median price of a category and the spread of prices within / across categories. */
  medianPrice: 45,
  categoryPriceSigma: 1.1,
  productPriceSigma: 0.45,
  /** Mean seconds between two views, after a cart, and before a purchase. */
  viewGapSeconds: 55,
  cartGapSeconds: 25,
  purchaseGapSeconds: 240,
} as const;
