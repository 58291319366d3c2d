import { ApiProblem, currentAccessToken, refreshSession, type ErrorBody, type Schemas } from '../api/client';
import i18n from '../i18n';

/** Upload progress: the share of the body sent, 0 to 1. */
export type Progress = (sent: number) => void;

function once<T>(method: string, url: string, body: Blob | string, contentType: string, onProgress?: Progress): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept-language', i18n.language);
    const token = currentAccessToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let json: unknown = undefined;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ status: xhr.status, json: json as T });
    };
    xhr.onerror = () => reject(new ApiProblem(0, undefined, i18n.t('errors.network')));
    xhr.send(body);
  });
}

/**
 * Sends a body (a file, a CSV) with upload progress, which `fetch` cannot report; refreshes the
 * session once on 401 like the typed client. Throws the error envelope as an ApiProblem.
 */
export async function sendWithProgress<T>(method: string, url: string, body: Blob | string, contentType: string, onProgress?: Progress): Promise<T> {
  let answer = await once(method, url, body, contentType, onProgress);
  if (answer.status === 401 && currentAccessToken() && (await refreshSession())) {
    answer = await once(method, url, body, contentType, onProgress);
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new ApiProblem(answer.status, answer.json as Partial<ErrorBody>, i18n.t('errors.network'));
  }
  return answer.json as T;
}

/** Uploads a file for a purpose (`attachment`, `news_image`, `association_logo`…). */
export function uploadFile(file: File, purpose: string, onProgress?: Progress): Promise<Schemas['FileInfo']> {
  const url = `/api/v1/files?purpose=${encodeURIComponent(purpose)}&name=${encodeURIComponent(file.name)}`;
  return sendWithProgress<Schemas['FileInfo']>('POST', url, file, 'application/octet-stream', onProgress);
}
