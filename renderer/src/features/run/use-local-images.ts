import { useEffect, useState } from 'react';
import { useConnection } from '../../stores/connection';

/** The images Docker has locally (repo:tag, newest first): the choices offered for a run's image; empty when Docker cannot say. */
export function useLocalImages(): string[] {
  const client = useConnection((s) => s.client);
  const [images, setImages] = useState<string[]>([]);
  useEffect(() => {
    if (!client) return;
    let current = true;
    void client['sandbox.images']({}).then(
      (r) => current && setImages(r.images.map((i) => i.name)),
      () => current && setImages([]),
    );
    return () => {
      current = false;
    };
  }, [client]);
  return images;
}
