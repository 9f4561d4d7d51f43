/**
 * Thumbnails without an image library (spec §"Thumbnails"): a readable PNG, GIF, JPEG or WebP upload is its own
 * thumbnail (never smaller than asked, never upscaled); anything else is refused with 400 M_UNKNOWN, as Synapse does.
 */
import { baseContentType } from './content-headers.js';
import type { ImageInfo } from './image-info.js';

/** The thumbnail query of `GET …/thumbnail/{serverName}/{mediaId}`. */
export interface ThumbnailRequest {
  width: number;
  height: number;
  method: 'crop' | 'scale';
  /** The `animated` parameter: true, false, or undefined when absent. */
  animated: boolean | undefined;
}

/** Upload types that get thumbnails (Synapse's default thumbnail formats, plus APNG). */
export const THUMBNAIL_SOURCE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/jpg', 'image/png', 'image/apng', 'image/gif', 'image/webp']);

export type ThumbnailAnswer = { contentType: ImageInfo['contentType'] } | { refused: string };

/**
 * Whether the original file can answer a thumbnail request, and as which type.
 * @example thumbnailFromOriginal('image/png', sniffImage(head), { width: 96, height: 96, method: 'crop', animated: undefined })
 *   // { contentType: 'image/png' }
 */
export function thumbnailFromOriginal(uploadType: string, image: ImageInfo | undefined, req: ThumbnailRequest): ThumbnailAnswer {
  if (!THUMBNAIL_SOURCE_TYPES.has(baseContentType(uploadType))) return { refused: 'Cannot generate thumbnails for the requested content' };
  if (!image) return { refused: 'Cannot generate thumbnails for the requested content: it is not a readable image' };
  // `animated=false`: the server MUST NOT return an animated thumbnail; without an image library there is no still frame
  // to give (an image whose animation could not be ruled out counts as animated).
  if (req.animated === false && image.animated !== false) return { refused: 'Cannot generate a still thumbnail of an animated image' };
  // Absent `animated` (SHOULD NOT animate) still gets the original: a moving avatar beats a broken one.
  return { contentType: image.contentType };
}
