import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { movePort } from '../src/config/start-command.js';

test('movePort moves the port in uvicorn, gunicorn and streamlit command lines', () => {
  assert.is(movePort('uvicorn main:app --host 0.0.0.0 --port 8000', 8000, 9000), 'uvicorn main:app --host 0.0.0.0 --port 9000');
  assert.is(movePort('gunicorn --bind 0.0.0.0:8000 app:app', 8000, 9000), 'gunicorn --bind 0.0.0.0:9000 app:app');
  assert.is(
    movePort('streamlit run a.py --server.port 8501 --server.address 0.0.0.0', 8501, 80),
    'streamlit run a.py --server.port 80 --server.address 0.0.0.0',
  );
  assert.is(movePort('python app.py', 8000, 9000), 'python app.py');
});

test('movePort knows every flag form a start command holds its port in', () => {
  const cases: Array<[string, string]> = [
    ['uvicorn a:app --port=8000', 'uvicorn a:app --port=7860'],
    ['streamlit run a.py --server.port=8000', 'streamlit run a.py --server.port=7860'],
    ['gunicorn -b 0.0.0.0:8000 a:app', 'gunicorn -b 0.0.0.0:7860 a:app'],
    ['gunicorn --bind=0.0.0.0:8000 a:app', 'gunicorn --bind=0.0.0.0:7860 a:app'],
    ['gunicorn --bind [::]:8000 a:app', 'gunicorn --bind [::]:7860 a:app'],
    ['gunicorn --bind :8000 a:app', 'gunicorn --bind :7860 a:app'],
  ];
  for (const [start, moved] of cases) assert.is(movePort(start, 8000, 7860), moved, start);
});

test('movePort: null where no known flag holds the port; unchanged when nothing moves', () => {
  assert.is(movePort('python serve.py 8000', 8000, 7860), null);
  assert.is(movePort('hypercorn --listen 0.0.0.0:8000 a:app', 8000, 7860), null);
  // --port 80000 is not port 8000, but it names it where no flag holds it: the app would not follow.
  assert.is(movePort('uvicorn a:app --port 80000', 8000, 7860), null);
  assert.is(movePort('uvicorn a:app --port 8000', 8000, 8000), 'uvicorn a:app --port 8000');
  assert.is(movePort('uvicorn  a:app   --port 8000', 8000, 9000), 'uvicorn  a:app   --port 9000', 'spacing kept');
  assert.is(movePort('', 8000, 9000), '');
});

test.run();
