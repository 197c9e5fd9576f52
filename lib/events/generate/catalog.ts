import { categoryId, productId } from "./ids.ts";
import { BRANDS, CATEGORY_CODES } from "./names.ts";
import { Random, ZipfSampler } from "./random.ts";
import { MODEL, REFERENCE } from "./shape.ts";

/** One product of the generated store; its price is fixed for the whole file, as in the reference. */
export interface Product {
  id: string;
  categoryId: string;
  categoryCode: string | null;
  brand: string | null;
  price: number;
  /** `product_id,category_id,category_code,brand,price` — the product's constant slice of a CSV row. */
  csv: string;
}

/**
 * The products of a generated store and their popularity. Sized from the row count with the
 * reference's ratio (53,453 products per 885,129 rows); index 0 is the most popular product.
 */
export interface Catalog {
  products: Product[];
  popularity: ZipfSampler;
}

/** Products the reference has for `rows` rows (at least 50, so tiny files still vary). */
export function productCount(rows: number): number {
  return Math.max(50, Math.round((REFERENCE.products * rows) / REFERENCE.rows));
}

/**
 * Marks items (in a random order) until their popularity adds up to `share` of the total, so the
 * share of *rows* carrying the attribute matches the reference rather than the share of items.
 */
function markByWeight(weights: ArrayLike<number>, share: number, rng: Random): boolean[] {
  const order = rng.shuffle(Array.from({ length: weights.length }, (_, i) => i));
  const marked = new Array<boolean>(weights.length).fill(false);
  let total = 0;
  for (const i of order) {
    const w = weights[i] as number;
    if (total + w / 2 <= share) {
      marked[i] = true;
      total += w;
    }
  }
  return marked;
}

/**
 * Builds a catalogue for a file of `rows` rows: categories (73% of rows carry a category code),
 * brands (76% of rows), and a skewed price per product — log-normal around a per-category
 * median, so cables cost a few units and video cards hundreds.
 */
export function buildCatalog(rows: number, rng: Random): Catalog {
  const n = productCount(rows);
  const popularity = new ZipfSampler(n, MODEL.productZipf);
  const categories = Math.max(5, Math.round(n / MODEL.productsPerCategory));
  const productOffset = rng.int(89_000_000);
  const categoryOffset = rng.int(1e12);

  const categoryOf = Array.from({ length: n }, () => rng.int(categories));
  const categoryWeight = new Float64Array(categories);
  for (let i = 0; i < n; i++) {
    const c = categoryOf[i] as number;
    categoryWeight[c] = (categoryWeight[c] as number) + (popularity.weights[i] as number);
  }
  const hasCode = markByWeight(categoryWeight, REFERENCE.categoryCodeShare, rng);
  const cats = Array.from({ length: categories }, (_, c) => ({
    id: categoryId(c, categoryOffset),
    code: hasCode[c] ? rng.pick(CATEGORY_CODES) : null,
    medianPrice: rng.logNormal(MODEL.medianPrice, MODEL.categoryPriceSigma),
  }));

  const hasBrand = markByWeight(popularity.weights, REFERENCE.brandShare, rng);
  const brandPopularity = new ZipfSampler(BRANDS.length, MODEL.brandZipf);
  const products: Product[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const cat = cats[categoryOf[i] as number]!;
    const brand = hasBrand[i] ? (BRANDS[brandPopularity.sample(rng)] as string) : null;
    const price = Math.max(0.22, Math.round(rng.logNormal(cat.medianPrice, MODEL.productPriceSigma) * 100) / 100);
    const id = productId(i, productOffset);
    const csv = `${id},${cat.id},${cat.code ?? ""},${brand ?? ""},${price.toFixed(2)}`;
    products[i] = { id, categoryId: cat.id, categoryCode: cat.code, brand, price, csv };
  }
  return { products, popularity };
}
