from langchain_community.vectorstores import FAISS
from langchain_openai import ChatOpenAI, OpenAIEmbeddings

store = FAISS.from_texts(["Refunds take 5 days."], OpenAIEmbeddings())
llm = ChatOpenAI(model="gpt-4o-mini")
docs = store.similarity_search("How long do refunds take?")
print(llm.invoke(f"Answer from: {docs[0].page_content}").content)
