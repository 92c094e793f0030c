export interface TrackedPart {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
}

export interface TrackedUpload {
  bucket: string;
  key: string;
  uploadId: string;
  initiated: string;
  parts: Map<number, TrackedPart>;
}

/** Remembers multipart uploads passing through the proxy, to answer what s3rver cannot (ListParts, ListMultipartUploads). */
export class MultipartTracker {
  private readonly uploads = new Map<string, TrackedUpload>();

  started(bucket: string, key: string, uploadId: string): void {
    this.uploads.set(uploadId, { bucket, key, uploadId, initiated: new Date().toISOString(), parts: new Map() });
  }

  part(uploadId: string, part: TrackedPart): void {
    this.uploads.get(uploadId)?.parts.set(part.partNumber, part);
  }

  get(uploadId: string): TrackedUpload | undefined {
    return this.uploads.get(uploadId);
  }

  finished(uploadId: string): void {
    this.uploads.delete(uploadId);
  }

  inBucket(bucket: string, prefix: string): TrackedUpload[] {
    return [...this.uploads.values()].filter((u) => u.bucket === bucket && u.key.startsWith(prefix)).sort((a, b) => a.key.localeCompare(b.key) || a.initiated.localeCompare(b.initiated));
  }
}
