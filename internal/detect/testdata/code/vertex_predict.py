import vertexai
from vertexai.generative_models import GenerativeModel

vertexai.init(project="acme-ml", location="us-central1")
model = GenerativeModel("gemini-2.0-flash-001")
print(model.generate_content("Classify: refund request").text)
