import { notARunFile } from '../run-files';
import { num } from './params';
import { PermanentStepError, type StepTemplate } from './types';

export const readUploadedFile: StepTemplate = {
  activity_name: 'read_uploaded_file',
  category: 'file',
  description: "Reads one of the run's uploaded files as UTF-8 text.",
  parameters: [{ name: 'file_index', type: 'integer', description: 'Which file, counting from 0 in upload order (default 0).' }],
  outputs: ['content', 'filename', 'size'],
  async run(inputs, ctx) {
    const index = num(inputs, 'file_index', 0, { min: 0, integer: true });
    const upload = ctx.files[index];
    if (upload === undefined) throw new PermanentStepError(`file_index ${index}: the run has ${ctx.files.length} uploaded file(s)`);
    const file = await ctx.readFile(upload);
    if (!file) throw notARunFile(`file_index ${index}`, upload);
    return { outputs: { content: file.bytes.toString('utf8'), filename: file.name, size: file.bytes.length } };
  },
};
