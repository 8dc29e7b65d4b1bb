import { useState } from 'react';
import WorkflowEditor from './WorkflowEditor';
import { WorkflowRunPanel } from './WorkflowRunPanel';

/** A workflow file open on the runbooks screen: the JSON editor and its run panel. */
export default function WorkflowPane({ path }: { path: string }) {
  const [savedText, setSavedText] = useState<string | null>(null);
  return (
    <>
      <main className="editor-main">
        <WorkflowEditor path={path} onSaved={setSavedText} />
      </main>
      <WorkflowRunPanel key={path} path={path} savedText={savedText} />
    </>
  );
}
